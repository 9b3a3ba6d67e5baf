using MarketSpine.Core.Pipelines;

namespace MarketSpine.Domains.Otc.Pipelines;

/// <summary>Stores one weekly file as a capture of its (week, tier); re-ingesting the same file adds nothing.</summary>
[Pipeline(OtcPipelineNames.IngestWeek, Description = "Ingest one FINRA OTC weekly file as a point-in-time capture of its week and tier.")]
[Parameter("file", ParameterType.FilePath, Required = true, Description = "Path of the weekly file (pipe- or comma-delimited, FINRA's download format).")]
[Parameter("tier", ParameterType.Choice, Required = true, AllowedValues = ["NMS_TIER_1", "NMS_TIER_2", "OTC"], Description = "The file's tier.")]
[Parameter("week_ending", ParameterType.Date, Description = "The Friday the week ends; derived from the publication date when omitted (required for re-publications).")]
[Parameter("replace", ParameterType.Boolean, Default = "false", Description = "Replace an existing capture of the same week, tier and publication date holding a different file.")]
public sealed class IngestWeekPipeline(OtcWeekStages stages) : Pipeline, IValidatesParameters
{
    public static IEnumerable<Core.Errors.ValidationProblem> Validate(PipelineParameters parameters) => OtcParameterRules.Check(parameters);

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken) =>
        stages.IngestAsync(IngestRequest.From(context.Parameters), context, cancellationToken);
}
