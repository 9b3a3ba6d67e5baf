using MarketSpine.Core.Pipelines;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Pipelines;

/// <summary>
/// Ingest, normalize and summarize one file. Re-running it on a file already processed skips
/// the stages whose outputs exist, so it is idempotent and cheap.
/// </summary>
[Pipeline(OtcPipelineNames.RunWeek, Description = "Ingest, normalize and summarize one FINRA OTC weekly file.")]
[Parameter("file", ParameterType.FilePath, Required = true, Description = "Path of the weekly file (pipe- or comma-delimited, FINRA's download format).")]
[Parameter("tier", ParameterType.Choice, Required = true, AllowedValues = ["NMS_TIER_1", "NMS_TIER_2", "OTC"], Description = "The file's tier.")]
[Parameter("week_ending", ParameterType.Date, Description = "The Friday the week ends; derived from the publication date when omitted (required for re-publications).")]
[Parameter("replace", ParameterType.Boolean, Default = "false", Description = "Replace an existing capture of the same week, tier and publication date holding a different file.")]
public sealed class RunWeekPipeline(OtcWeekStages stages) : Pipeline
{
    public override async Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters;
        var outcome = new PipelineOutcome();
        var (capture, skipped, ingest) = await stages.IngestAsync(p.GetString("file"), OtcTiers.FromCode(p.GetString("tier")),
            p.GetDateOrNull("week_ending"), p.GetBoolean("replace"), context, cancellationToken);
        outcome.Include("ingest", ingest);

        if (!skipped || capture.NormalizedAt is null)
        {
            outcome.Include("normalize", await stages.NormalizeAsync(capture, context, cancellationToken));
            capture = await stages.ResolveCaptureAsync(capture.WeekEnding, capture.Tier, capture.CaptureId, cancellationToken);
        }

        if (!skipped || capture.SummarizedAt is null)
        {
            outcome.Include("summarize", await stages.SummarizeAsync(capture, context, cancellationToken));
        }

        outcome.RejectCount = capture.RejectedCount ?? outcome.RejectCount;
        return outcome;
    }
}
