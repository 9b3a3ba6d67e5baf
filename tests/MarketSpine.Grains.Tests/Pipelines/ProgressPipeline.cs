using MarketSpine.Core.Pipelines;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Grains.Tests.Pipelines;

/// <summary>Goes through named steps, reporting progress within each, and writes numbered log lines.</summary>
[Pipeline("test.progress", Description = "Reports progress steps and writes log lines.")]
[Parameter("steps", ParameterType.Integer, Default = "3", Description = "How many steps.")]
[Parameter("lines", ParameterType.Integer, Default = "0", Description = "How many log lines to write.")]
public sealed partial class ProgressPipeline : Pipeline
{
    public override async Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var steps = context.Parameters.GetInteger("steps");
        for (var step = 1; step <= steps; step++)
        {
            // Several reports per step, back to back: the stored stages must still come out whole.
            for (var done = 0; done <= 4; done++)
            {
                context.ReportProgress($"step-{step}", done, 4);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        var lines = context.Parameters.GetInteger("lines");
        for (var line = 1; line <= lines; line++)
        {
            LogLine(context.Logger, line);
        }

        return new PipelineOutcome();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "line {Line}")]
    private static partial void LogLine(ILogger logger, long line);
}
