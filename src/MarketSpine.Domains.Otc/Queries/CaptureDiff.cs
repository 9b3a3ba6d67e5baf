using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Queries;

/// <summary>What changed from one publication of a week to another, row by (symbol, venue).</summary>
public sealed record CaptureDiff(
    Capture From,
    Capture To,
    long Added,
    long Removed,
    long Changed,
    long Unchanged,
    long SharesDelta,
    long TradesDelta,
    IReadOnlyList<VenueVolumeChange> Changes);

/// <summary>One (symbol, venue) that differs between two captures; null volumes mean absent.</summary>
public sealed record VenueVolumeChange(
    string Symbol,
    string Mpid,
    string Kind,
    long? SharesBefore,
    long? SharesAfter,
    long? TradesBefore,
    long? TradesAfter)
{
    public long SharesDelta => (SharesAfter ?? 0) - (SharesBefore ?? 0);
}
