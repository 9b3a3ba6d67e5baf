using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Normalization;

namespace MarketSpine.Domains.Otc.Calculations;

/// <summary>
/// A week's totals and per-venue shares, in one pass over its venue volumes in any order. Venues
/// are few (tens), so memory stays flat however many rows there are; per-symbol summaries are
/// the <see cref="SymbolSummaryCalculator"/>'s job.
/// </summary>
public sealed class WeekSummaryCalculator
{
    private readonly Dictionary<string, Totals> _venues = new(StringComparer.Ordinal);

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

        if (!_venues.TryGetValue(row.Mpid, out var venue))
        {
            venue = new Totals(row.VenueName);
            _venues.Add(row.Mpid, venue);
        }

        venue.Add(row.ShareVolume, row.TradeCount);
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
            shares.Add(new VenueShare(mpid, venue.Name, venue.Shares, venue.Trades, venue.Count, percent, i + 1,
                Normalizer.AverageTradeSize(venue.Shares, venue.Trades)));
        }

        return shares;
    }
}
