using MarketSpine.Core.Pipelines;

namespace MarketSpine.Grains.Tests.Pipelines;

/// <summary>Sleeps and ignores its cancellation token: the runtime must abandon it.</summary>
[Pipeline("test.stubborn", Description = "Sleeps, ignoring cancellation.")]
[Parameter("ms", ParameterType.Integer, Required = true, Description = "How long to sleep, in milliseconds.")]
public sealed class StubbornPipeline(PipelineProbe probe) : Pipeline
{
    public override async Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        probe.Started(context.ExecutionId);
        await Task.Delay(TimeSpan.FromMilliseconds(context.Parameters.GetInteger("ms")), CancellationToken.None);
        return new PipelineOutcome();
    }
}
