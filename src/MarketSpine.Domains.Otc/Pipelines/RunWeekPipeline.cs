using MarketSpine.Core.Pipelines;

namespace MarketSpine.Domains.Otc.Pipelines;

/// <summary>
/// Ingest, normalize and summarize one file in one transaction. Re-running it on a file already
/// processed skips what is done, so it is idempotent and cheap.
/// </summary>
[Pipeline(OtcPipelineNames.RunWeek, Description = "Ingest, normalize and summarize one FINRA OTC weekly file.")]
[Parameter("file", ParameterType.FilePath, Required = true, Description = "Path of the weekly file (pipe- or comma-delimited, FINRA's download format).")]
[Parameter("tier", ParameterType.Choice, Required = true, AllowedValues = ["NMS_TIER_1", "NMS_TIER_2", "OTC"], Description = "The file's tier.")]
[Parameter("week_ending", ParameterType.Date, Description = "The Friday the week ends; derived from the publication date when omitted (required for re-publications).")]
[Parameter("replace", ParameterType.Boolean, Default = "false", Description = "Replace an existing capture of the same week, tier and publication date holding a different file.")]
public sealed class RunWeekPipeline(OtcWeekStages stages) : Pipeline, IValidatesParameters
{
    public static IEnumerable<Core.Errors.ValidationProblem> Validate(PipelineParameters parameters) => OtcParameterRules.Check(parameters);

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken) =>
        stages.RunWeekAsync(IngestRequest.From(context.Parameters), context, cancellationToken);
}
