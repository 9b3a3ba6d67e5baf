using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Quality;

namespace MarketSpine.Core.Tests.TestPipelines;

[Pipeline(Name, Description = "Loads, then fails a quality gate.")]
public sealed class FailingGatePipeline : Pipeline
{
    public const string Name = "test.beta.failing_gate";

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        QualityGate.Enforce(
        [
            QualityResult.Pass("rows_present", "10 rows"),
            QualityResult.Fail("shares_sum_to_100", "shares sum to 97.5%"),
            QualityResult.Fail("late_file", "file arrived late", isGate: false),
        ]);
        return Task.FromResult(new PipelineOutcome());
    }
}
