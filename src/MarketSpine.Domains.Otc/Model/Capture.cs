namespace MarketSpine.Domains.Otc.Model;

/// <summary>One publication of a (week, tier) as stored: its clocks, its source, and how far it has been processed.</summary>
public sealed record Capture(
    string CaptureId,
    DateOnly WeekEnding,
    OtcTier Tier,
    DateOnly SourceUpdate,
    DateTimeOffset CapturedAt,
    string SourceFile,
    string SourceSha256,
    WeekSource WeekSource,
    long RowCount,
    string? ExecutionId,
    DateTimeOffset? NormalizedAt,
    long? AcceptedCount,
    long? RejectedCount,
    DateTimeOffset? SummarizedAt);

/// <summary>Where a capture's week came from: the request, or FINRA's publication schedule.</summary>
public enum WeekSource
{
    Requested,
    Publication,
}
