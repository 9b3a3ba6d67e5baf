using MarketSpine.Core.Data;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Persistence;

/// <summary>The normalized rows and rejects of one capture being written within a session.</summary>
public sealed class NormalizedRows : IAsyncDisposable
{
    private readonly OtcWriteSession _session;
    private readonly IBulkInsert _accepted;
    private readonly Capture _capture;

    // Rejects wait here until the accepted rows' bulk load ends: PostgreSQL runs one COPY at a
    // time per connection. Real files reject a handful of rows, so this stays small.
    private readonly List<RejectedRow> _rejects = [];
    private long _acceptedCount;

    internal NormalizedRows(OtcWriteSession session, IBulkInsert accepted, Capture capture)
    {
        _session = session;
        _accepted = accepted;
        _capture = capture;
    }

    public async ValueTask AddAsync(VenueVolume row, CancellationToken cancellationToken)
    {
        await _accepted.StartRowAsync(cancellationToken);
        _accepted.Write(_capture.CaptureId);
        _accepted.Write(row.Symbol);
        _accepted.Write(row.Mpid);
        LineageWriter.WriteWeekAndTier(_accepted, _capture);
        _accepted.Write(row.IssueName);
        _accepted.Write(row.VenueName);
        _accepted.Write(row.ShareVolume);
        _accepted.Write(row.TradeCount);
        _accepted.Write(row.AverageTradeSize);
        LineageWriter.WriteClocksAndFile(_accepted, _capture);
        _accepted.Write(row.SourceLine);
        _acceptedCount++;
    }

    public void Reject(RejectedRow row) => _rejects.Add(row);

    /// <summary>Ends the accepted rows, writes the rejects and marks the capture normalized (not yet committed).</summary>
    public async Task CompleteAsync(DateTimeOffset normalizedAt, CancellationToken cancellationToken)
    {
        await _accepted.CompleteAsync(cancellationToken);
        await _accepted.DisposeAsync();
        await _session.WriteRejectsAndMarkNormalizedAsync(_capture, _rejects, _acceptedCount, normalizedAt, cancellationToken);
    }

    public ValueTask DisposeAsync() => _accepted.DisposeAsync();
}
