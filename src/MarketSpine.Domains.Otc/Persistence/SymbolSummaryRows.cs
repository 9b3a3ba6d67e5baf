using MarketSpine.Core.Data;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Persistence;

/// <summary>The symbol summaries of one capture being written within a session, as they are computed.</summary>
public sealed class SymbolSummaryRows : IAsyncDisposable
{
    private readonly IBulkInsert _bulk;
    private readonly Capture _capture;

    internal SymbolSummaryRows(IBulkInsert bulk, Capture capture)
    {
        _bulk = bulk;
        _capture = capture;
    }

    public long Count { get; private set; }

    public async ValueTask AddAsync(SymbolSummary summary, CancellationToken cancellationToken)
    {
        await _bulk.StartRowAsync(cancellationToken);
        _bulk.Write(_capture.CaptureId);
        _bulk.Write(summary.Symbol);
        LineageWriter.WriteWeekAndTier(_bulk, _capture);
        _bulk.Write(summary.IssueName);
        _bulk.Write(summary.TotalShares);
        _bulk.Write(summary.TotalTrades);
        _bulk.Write(summary.VenueCount);
        _bulk.Write(summary.AverageTradeSize);
        LineageWriter.WriteClocksAndFile(_bulk, _capture);
        Count++;
    }

    /// <summary>Ends the rows; the connection is free for the next statement once this returns.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _bulk.CompleteAsync(cancellationToken);
        await _bulk.DisposeAsync();
    }

    public ValueTask DisposeAsync() => _bulk.DisposeAsync();
}
