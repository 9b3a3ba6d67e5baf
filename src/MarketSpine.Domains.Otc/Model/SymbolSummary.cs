namespace MarketSpine.Domains.Otc.Model;

/// <summary>One symbol's week in one tier, over all venues.</summary>
public sealed record SymbolSummary(
    string Symbol,
    string IssueName,
    long TotalShares,
    long TotalTrades,
    int VenueCount,
    decimal? AverageTradeSize);
