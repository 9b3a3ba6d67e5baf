using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Calculations;

/// <summary>
/// Computes a week's per-symbol summaries and per-venue shares in one pass over its venue
/// volumes. Rows must arrive grouped by symbol (the store reads them in key order), so symbol
/// summaries stream out as each symbol ends and memory stays flat; venues are few (tens) and
/// are held until the end, when shares and ranks can be computed.
/// </summary>
public sealed class WeekSummaryCalculator
{
    private readonly Dictionary<string, VenueAccumulator> _venues = new(StringComparer.Ordinal);
    private readonly HashSet<string> _finishedSymbols = new(StringComparer.Ordinal);
    private string? _symbol;
    private string _issueName = "";
    private long _symbolShares;
    private long _symbolTrades;
    private int _symbolVenues;

    public long RowCount { get; private set; }

    public long TotalShares { get; private set; }

    public long TotalTrades { get; private set; }

    /// <summary>Rows with a negative share or trade count; the quality gate fails the run on any.</summary>
    public long NegativeRows { get; private set; }

    public long? FirstNegativeLine { get; private set; }

    /// <summary>Adds a row; returns the previous symbol's summary when this row starts a new symbol.</summary>
    public SymbolSummary? Add(VenueVolume row)
    {
        RowCount++;
        TotalShares += row.ShareVolume;
        TotalTrades += row.TradeCount;
        if (row.ShareVolume < 0 || row.TradeCount < 0)
        {
            NegativeRows++;
            FirstNegativeLine ??= row.SourceLine;
        }

        if (!_venues.TryGetValue(row.Mpid, out var venue))
        {
            venue = new VenueAccumulator(row.VenueName);
            _venues.Add(row.Mpid, venue);
        }

        venue.Shares += row.ShareVolume;
        venue.Trades += row.TradeCount;
        venue.Symbols++;

        SymbolSummary? finished = null;
        if (!string.Equals(row.Symbol, _symbol, StringComparison.Ordinal))
        {
            finished = Flush();
            if (!_finishedSymbols.Add(row.Symbol))
            {
                throw new InvalidOperationException($"Symbol {row.Symbol} appears again after other symbols: venue volumes must be read grouped by symbol.");
            }

            _symbol = row.Symbol;
            _issueName = row.IssueName;
        }

        if (_issueName.Length == 0)
        {
            _issueName = row.IssueName;
        }

        _symbolShares += row.ShareVolume;
        _symbolTrades += row.TradeCount;
        _symbolVenues++;
        return finished;
    }

    /// <summary>Closes the current symbol, returning its summary (null when there is none).</summary>
    public SymbolSummary? Flush()
    {
        if (_symbol is null)
        {
            return null;
        }

        var summary = new SymbolSummary(_symbol, _issueName, _symbolShares, _symbolTrades, _symbolVenues,
            Normalization.Normalizer.AverageTradeSize(_symbolShares, _symbolTrades));
        _symbol = null;
        _symbolShares = 0;
        _symbolTrades = 0;
        _symbolVenues = 0;
        return summary;
    }

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
            shares.Add(new VenueShare(mpid, venue.Name, venue.Shares, venue.Trades, venue.Symbols, percent, i + 1,
                Normalization.Normalizer.AverageTradeSize(venue.Shares, venue.Trades)));
        }

        return shares;
    }

    private sealed class VenueAccumulator(string name)
    {
        public string Name { get; } = name;

        public long Shares { get; set; }

        public long Trades { get; set; }

        public int Symbols { get; set; }
    }
}
