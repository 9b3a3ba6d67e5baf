using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Tests.TestPipelines;

/// <summary>Honours the caller's token.</summary>
[Pipeline(Name, Description = "Stops when cancelled.")]
public sealed class CancellablePipeline : Pipeline
{
    public const string Name = "test.beta.cancellable";

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new PipelineOutcome());
    }
}
