using MarketSpine.Core.Pipelines;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Pipelines;

/// <summary>Validates a capture's rows into venue volumes, storing rejects with their reasons.</summary>
[Pipeline(OtcPipelineNames.NormalizeWeek, Description = "Normalize a week's capture: tier to enum, validation with stored rejects, average trade size.")]
[Parameter("week_ending", ParameterType.Date, Required = true, Description = "The Friday the week ends.")]
[Parameter("tier", ParameterType.Choice, Required = true, AllowedValues = ["NMS_TIER_1", "NMS_TIER_2", "OTC"], Description = "The tier.")]
[Parameter("capture_id", ParameterType.String, Description = "A specific capture; the week's newest publication when omitted.")]
public sealed class NormalizeWeekPipeline(OtcWeekStages stages) : Pipeline, IValidatesParameters
{
    public static IEnumerable<Core.Errors.ValidationProblem> Validate(PipelineParameters parameters) => OtcParameterRules.Check(parameters);

    public override async Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters;
        var capture = await stages.ResolveCaptureAsync(p.GetDate("week_ending"), OtcTiers.FromCode(p.GetString("tier")), p.GetStringOrNull("capture_id"), cancellationToken);
        return await stages.NormalizeAsync(capture, context, cancellationToken);
    }
}
