namespace MarketSpine.Domains.Otc.Queries;

/// <summary>A symbol's week with its rank by share volume.</summary>
public sealed record RankedSymbol(
    int Rank,
    string Symbol,
    string IssueName,
    long TotalShares,
    long TotalTrades,
    int VenueCount,
    decimal? AverageTradeSize);
