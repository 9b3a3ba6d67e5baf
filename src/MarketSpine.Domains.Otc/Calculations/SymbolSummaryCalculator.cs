using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Normalization;

namespace MarketSpine.Domains.Otc.Calculations;

/// <summary>
/// Per-symbol totals over venues. Given rows grouped by symbol (FINRA's files are sorted; stored
/// rows are read in key order) it streams each summary out as its symbol ends and holds one
/// symbol at a time, so memory is flat. Given rows in any order it must hold every symbol until
/// the end: an OTC week has about one symbol per two rows, so that grows with the file.
/// </summary>
public sealed class SymbolSummaryCalculator(bool groupedBySymbol)
{
    private readonly Dictionary<string, Totals>? _all = groupedBySymbol ? null : new(StringComparer.Ordinal);
    private string? _symbol;
    private Totals? _current;

    /// <summary>Adds a row; when grouped, returns the previous symbol's summary as this row starts a new one.</summary>
    public SymbolSummary? Add(VenueVolume row)
    {
        if (_all is not null)
        {
            if (!_all.TryGetValue(row.Symbol, out var totals))
            {
                totals = new Totals(row.IssueName);
                _all.Add(row.Symbol, totals);
            }

            totals.NameIfEmpty(row.IssueName);
            totals.Add(row.ShareVolume, row.TradeCount);
            return null;
        }

        SymbolSummary? finished = null;
        if (!string.Equals(row.Symbol, _symbol, StringComparison.Ordinal))
        {
            finished = Summary(_symbol, _current);
            _symbol = row.Symbol;
            _current = new Totals(row.IssueName);
        }

        _current!.NameIfEmpty(row.IssueName);
        _current.Add(row.ShareVolume, row.TradeCount);
        return finished;
    }

    /// <summary>What is left at the end: the last symbol when grouped, every symbol (in symbol order) otherwise.</summary>
    public IReadOnlyList<SymbolSummary> Finish()
    {
        if (_all is null)
        {
            var last = Summary(_symbol, _current);
            _symbol = null;
            _current = null;
            return last is null ? [] : [last];
        }

        var summaries = new List<SymbolSummary>(_all.Count);
        foreach (var (symbol, totals) in _all)
        {
            summaries.Add(Summary(symbol, totals)!);
        }

        summaries.Sort(static (a, b) => string.CompareOrdinal(a.Symbol, b.Symbol));
        _all.Clear();
        return summaries;
    }

    private static SymbolSummary? Summary(string? symbol, Totals? totals) =>
        symbol is null || totals is null
            ? null
            : new SymbolSummary(symbol, totals.Name, totals.Shares, totals.Trades, totals.Count, Normalizer.AverageTradeSize(totals.Shares, totals.Trades));
}
