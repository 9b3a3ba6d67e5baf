using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Tests.TestPipelines;

[Pipeline(Name, Description = "Has a bug.")]
public sealed class CrashingPipeline : Pipeline
{
    public const string Name = "test.beta.crashing";

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Sequence contains no elements");
}
