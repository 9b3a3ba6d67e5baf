using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Quality;

namespace MarketSpine.Core.Tests.TestPipelines;

/// <summary>A pipeline with one parameter of every type; it succeeds, reporting fixed metrics, and advances a manual clock by 5 s.</summary>
[Pipeline(Name, Description = "Ingests one week of a test feed.")]
[Parameter("week", ParameterType.Date, Required = true, Description = "Week start, yyyy-MM-dd.")]
[Parameter("tier", ParameterType.Choice, Default = "OTC", AllowedValues = ["NMS_TIER_1", "NMS_TIER_2", "OTC"], Description = "Market tier.")]
[Parameter("limit", ParameterType.Integer, Default = "10", Description = "Row limit.")]
[Parameter("ratio", ParameterType.Decimal, Description = "A ratio.")]
[Parameter("dry_run", ParameterType.Boolean, Default = "false", Description = "Only validate.")]
[Parameter("file", ParameterType.FilePath, Description = "Input file.")]
[Parameter("note", ParameterType.String, Description = "Free text.")]
public sealed class IngestWeekPipeline(RunLog log) : Pipeline
{
    public const string Name = "test.alpha.ingest_week";

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        log.Runs.Add(context.ExecutionId);
        (context.Clock as ManualTimeProvider)?.Advance(TimeSpan.FromSeconds(5));
        var outcome = new PipelineOutcome { RejectCount = 2 };
        outcome.Metrics["rows_read"] = 12;
        outcome.Metrics["rows_inserted"] = 10;
        outcome.Quality.Add(QualityResult.Pass("rows_present", "10 rows"));
        return Task.FromResult(outcome);
    }
}
