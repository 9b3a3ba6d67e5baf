using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Tests.TestPipelines;

[Pipeline(Name, Description = "Fails reading its source.")]
public sealed class FailingSourcePipeline : Pipeline
{
    public const string Name = "test.alpha.failing_source";

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken) =>
        throw new SourceError(ErrorCodes.SourceMalformed, "feed.csv line 3: 2 fields where the header has 3.", "feed.csv", 3);
}
