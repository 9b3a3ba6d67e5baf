using MarketSpine.Core.Pipelines;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Api.TestPipelines;

/// <summary>Counts steps: a progress report and a log line per step, a pause after each; stops when cancelled.</summary>
[Pipeline(Name, Description = "Test: counts steps, with progress and a log line per step.")]
[Parameter("steps", ParameterType.Integer, Default = "3", Description = "How many steps.")]
[Parameter("delay_ms", ParameterType.Integer, Default = "0", Description = "Pause after each step, in milliseconds.")]
public sealed partial class StepsPipeline : Pipeline
{
    public const string Name = "test.api.steps";

    public override async Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var steps = context.Parameters.GetInteger("steps");
        var delay = TimeSpan.FromMilliseconds(context.Parameters.GetInteger("delay_ms"));
        for (var step = 1; step <= steps; step++)
        {
            context.ReportProgress($"step {step}", step, steps);
            LogStep(context.Logger, step, steps);
            await Task.Delay(delay, cancellationToken);
        }

        var outcome = new PipelineOutcome();
        outcome.Metrics["steps"] = steps;
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "step {Step} of {Steps}")]
    private static partial void LogStep(ILogger logger, long step, long steps);
}
