using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Normalization;

namespace MarketSpine.Domains.Otc.Calculations;

/// <summary>
/// Computes a week's per-symbol summaries and per-venue shares in one pass over its venue
/// volumes, in any order. It holds one small accumulator per symbol and per venue (tens of
/// thousands and tens), never the rows, so memory does not grow with the file.
/// </summary>
public sealed class WeekSummaryCalculator
{
    private readonly Dictionary<string, Accumulator> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Accumulator> _venues = new(StringComparer.Ordinal);

    public long RowCount { get; private set; }

    public long TotalShares { get; private set; }

    public long TotalTrades { get; private set; }

    /// <summary>Rows with a negative share or trade count; the quality gate fails the run on any.</summary>
    public long NegativeRows { get; private set; }

    public long? FirstNegativeLine { get; private set; }

    public void Add(VenueVolume row)
    {
        RowCount++;
        TotalShares += row.ShareVolume;
        TotalTrades += row.TradeCount;
        if (row.ShareVolume < 0 || row.TradeCount < 0)
        {
            NegativeRows++;
            FirstNegativeLine = FirstNegativeLine is { } first ? Math.Min(first, row.SourceLine) : row.SourceLine;
        }

        Accumulate(_symbols, row.Symbol, row.IssueName, row);
        Accumulate(_venues, row.Mpid, row.VenueName, row);
    }

    /// <summary>Each symbol's totals over its venues, in symbol order.</summary>
    public IReadOnlyList<SymbolSummary> SymbolSummaries() =>
    [
        .. _symbols.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new SymbolSummary(s.Key, s.Value.Name, s.Value.Shares, s.Value.Trades, s.Value.Count,
                Normalizer.AverageTradeSize(s.Value.Shares, s.Value.Trades))),
    ];

    /// <summary>
    /// Each venue's share of the tier's share volume (percent, 4 decimals), ranked by volume with
    /// ties broken by MPID so the order is the same on every run.
    /// </summary>
    public IReadOnlyList<VenueShare> VenueShares()
    {
        var ordered = _venues
            .OrderByDescending(v => v.Value.Shares)
            .ThenBy(v => v.Key, StringComparer.Ordinal)
            .ToList();
        var shares = new List<VenueShare>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var (mpid, venue) = (ordered[i].Key, ordered[i].Value);
            var percent = TotalShares == 0 ? 0m : Math.Round(venue.Shares * 100m / TotalShares, 4, MidpointRounding.AwayFromZero);
            shares.Add(new VenueShare(mpid, venue.Name, venue.Shares, venue.Trades, venue.Count, percent, i + 1,
                Normalizer.AverageTradeSize(venue.Shares, venue.Trades)));
        }

        return shares;
    }

    private static void Accumulate(Dictionary<string, Accumulator> table, string key, string name, VenueVolume row)
    {
        if (!table.TryGetValue(key, out var accumulator))
        {
            accumulator = new Accumulator { Name = name };
            table.Add(key, accumulator);
        }
        else if (accumulator.Name.Length == 0)
        {
            accumulator.Name = name;
        }

        accumulator.Shares += row.ShareVolume;
        accumulator.Trades += row.TradeCount;
        accumulator.Count++;
    }

    /// <summary>Totals of one symbol (over its venues) or one venue (over its symbols).</summary>
    private sealed class Accumulator
    {
        public string Name { get; set; } = "";

        public long Shares { get; set; }

        public long Trades { get; set; }

        public int Count { get; set; }
    }
}
