using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Pipelines;

/// <summary>A file to store as a capture: its path and tier, the week when it must be given, and whether to replace.</summary>
public sealed record IngestRequest(string File, OtcTier Tier, DateOnly? WeekEnding, bool Replace)
{
    public static IngestRequest From(Core.Pipelines.PipelineParameters parameters) => new(
        parameters.GetString("file"), OtcTiers.FromCode(parameters.GetString("tier")), parameters.GetDateOrNull("week_ending"), parameters.GetBoolean("replace"));
}
