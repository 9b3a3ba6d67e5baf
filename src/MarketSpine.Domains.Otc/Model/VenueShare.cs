namespace MarketSpine.Domains.Otc.Model;

/// <summary>One venue's week in one tier: its volume, its share of the tier's volume, and its rank.</summary>
public sealed record VenueShare(
    string Mpid,
    string VenueName,
    long TotalShares,
    long TotalTrades,
    int SymbolCount,
    decimal SharePercent,
    int Rank,
    decimal? AverageTradeSize);
