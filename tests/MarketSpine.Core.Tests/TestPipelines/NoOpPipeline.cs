using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Tests.TestPipelines;

/// <summary>
/// An unregistered pipeline: the base of the types that registry tests emit at run time with
/// [Pipeline] attributes of their choosing (duplicates, bad specs), which cannot live in this
/// assembly without breaking its own discovery.
/// </summary>
public class NoOpPipeline : Pipeline
{
    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new PipelineOutcome());
}
