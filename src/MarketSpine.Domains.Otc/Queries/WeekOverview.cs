using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Queries;

/// <summary>One (week, tier) as a reader sees it through the chosen capture.</summary>
public sealed record WeekOverview(
    DateOnly WeekEnding,
    OtcTier Tier,
    string CaptureId,
    DateOnly SourceUpdate,
    int CaptureCount,
    long TotalShares,
    long TotalTrades,
    long Symbols,
    long Venues);
