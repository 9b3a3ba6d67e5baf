using System.Data.Common;
using MarketSpine.Core.Data;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Persistence;

/// <summary>
/// One transaction replacing a capture's normalized rows and rejects. Disposing without
/// <see cref="CommitAsync"/> rolls everything back.
/// </summary>
public sealed class NormalizedWriter : IAsyncDisposable
{
    private readonly ISpineDatabase _database;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly Capture _capture;
    private readonly IBulkInsert _accepted;

    // Rejects wait here until the accepted rows' bulk load ends: PostgreSQL runs one COPY at a
    // time per connection. Real files reject a handful of rows, so this stays small.
    private readonly List<RejectedRow> _rejects = [];

    internal NormalizedWriter(ISpineDatabase database, DbConnection connection, DbTransaction transaction, IBulkInsert accepted, Capture capture)
    {
        _database = database;
        _connection = connection;
        _transaction = transaction;
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
    }

    public void Reject(RejectedRow row) => _rejects.Add(row);

    public async Task CommitAsync(long accepted, long rejected, DateTimeOffset normalizedAt, CancellationToken cancellationToken)
    {
        await _accepted.CompleteAsync(cancellationToken);
        await _accepted.DisposeAsync();
        if (_rejects.Count > 0)
        {
            await using var bulk = await _database.BeginBulkInsertAsync(_connection, _transaction, "otc_rejects", OtcColumns.Rejects, cancellationToken);
            foreach (var reject in _rejects)
            {
                await bulk.StartRowAsync(cancellationToken);
                bulk.Write(_capture.CaptureId);
                bulk.Write(reject.SourceLine);
                bulk.Write(reject.ReasonCode);
                bulk.Write(reject.ReasonDetail);
                bulk.Write(reject.RawLine);
                LineageWriter.WriteWeekAndTier(bulk, _capture);
                LineageWriter.WriteClocksAndFile(bulk, _capture);
            }

            await bulk.CompleteAsync(cancellationToken);
        }

        await using (var update = _connection.Command(
            "UPDATE otc_captures SET normalized_at = @at, accepted_count = @accepted, rejected_count = @rejected, summarized_at = NULL WHERE capture_id = @id",
            _transaction))
        {
            update.WithParameter("@at", normalizedAt).WithParameter("@accepted", accepted).WithParameter("@rejected", rejected)
                .WithParameter("@id", _capture.CaptureId);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await _transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _accepted.DisposeAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
