using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Pipelines;

/// <summary>Computes per-symbol summaries and per-venue shares of a normalized capture, behind quality gates.</summary>
[Pipeline(OtcPipelineNames.SummarizeWeek, Description = "Summarize a week's capture: per-symbol totals and venue counts, per-venue share and rank, quality gates.")]
[Parameter("week_ending", ParameterType.Date, Required = true, Description = "The Friday the week ends.")]
[Parameter("tier", ParameterType.Choice, Required = true, AllowedValues = ["NMS_TIER_1", "NMS_TIER_2", "OTC"], Description = "The tier.")]
[Parameter("capture_id", ParameterType.String, Description = "A specific capture; the week's newest publication when omitted.")]
public sealed class SummarizeWeekPipeline(OtcWeekStages stages) : Pipeline, IValidatesParameters
{
    public static IEnumerable<Core.Errors.ValidationProblem> Validate(PipelineParameters parameters) => OtcParameterRules.Check(parameters);

    public override async Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters;
        var capture = await stages.ResolveCaptureAsync(p.GetDate("week_ending"), OtcTiers.FromCode(p.GetString("tier")), p.GetStringOrNull("capture_id"), cancellationToken);
        if (capture.NormalizedAt is null)
        {
            throw new InvalidStateError(ErrorCodes.InvalidState,
                $"Capture {capture.CaptureId} is not normalized yet: run {OtcPipelineNames.NormalizeWeek} first (or {OtcPipelineNames.RunWeek}).");
        }

        return await stages.SummarizeAsync(capture, context, cancellationToken);
    }
}
