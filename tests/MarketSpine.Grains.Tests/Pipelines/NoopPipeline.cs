using MarketSpine.Core.Pipelines;

namespace MarketSpine.Grains.Tests.Pipelines;

[Pipeline("test.noop", Description = "Does nothing.")]
public sealed class NoopPipeline : Pipeline
{
    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken) => Task.FromResult(new PipelineOutcome());
}
