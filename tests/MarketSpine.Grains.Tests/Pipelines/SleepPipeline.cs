using MarketSpine.Core.Pipelines;

namespace MarketSpine.Grains.Tests.Pipelines;

/// <summary>Sleeps, and stops as soon as it is told to.</summary>
[Pipeline("test.sleep", Description = "Sleeps, honouring cancellation.")]
[Parameter("ms", ParameterType.Integer, Required = true, Description = "How long to sleep, in milliseconds.")]
public sealed class SleepPipeline(PipelineProbe probe) : Pipeline
{
    public override async Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        probe.Started(context.ExecutionId);
        await Task.Delay(TimeSpan.FromMilliseconds(context.Parameters.GetInteger("ms")), cancellationToken);
        var outcome = new PipelineOutcome();
        outcome.Metrics["slept_ms"] = context.Parameters.GetInteger("ms");
        return outcome;
    }
}
