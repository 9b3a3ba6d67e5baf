using MarketSpine.Core.Pipelines;

namespace MarketSpine.Api.TestPipelines;

/// <summary>Does nothing: what the API's submission throughput and paging tests run.</summary>
[Pipeline(Name, Description = "Test: does nothing.")]
public sealed class NoopPipeline : Pipeline
{
    public const string Name = "test.api.noop";

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken) => Task.FromResult(new PipelineOutcome());
}
