using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Api.TestPipelines;

/// <summary>Always fails, with a source that cannot be read (a retryable code).</summary>
[Pipeline(Name, Description = "Test: always fails with SOURCE_UNREADABLE.")]
public sealed class FailPipeline : Pipeline
{
    public const string Name = "test.api.fail";

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken) =>
        throw new SourceError(ErrorCodes.SourceUnreadable, "The test source is never there.", "test://nowhere");
}
