namespace MarketSpine.Domains.Otc.Model;

/// <summary>A validated (symbol, venue) row of a capture: what one venue traded of one symbol that week.</summary>
public sealed record VenueVolume(
    long SourceLine,
    string Symbol,
    string IssueName,
    string Mpid,
    string VenueName,
    long ShareVolume,
    long TradeCount,
    decimal? AverageTradeSize);
