using System.Data.Common;
using MarketSpine.Core.Data;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Parsing;

namespace MarketSpine.Domains.Otc.Persistence;

/// <summary>
/// One transaction over the OTC tables. A stage (or <c>run_week</c>'s three stages together)
/// writes through one session and commits once, so a capture appears whole or not at all and a
/// stage's outputs are replaced whole. Disposing without <see cref="CommitAsync"/> rolls back.
/// </summary>
public sealed class OtcWriteSession : IAsyncDisposable
{
    private readonly ISpineDatabase _database;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;

    private OtcWriteSession(ISpineDatabase database, DbConnection connection, DbTransaction transaction)
    {
        _database = database;
        _connection = connection;
        _transaction = transaction;
    }

    internal static async Task<OtcWriteSession> BeginAsync(ISpineDatabase database, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            return new OtcWriteSession(database, connection, await connection.BeginTransactionAsync(cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stores a capture and its raw rows. With <paramref name="replace"/> an existing capture of
    /// the same id is deleted first, with everything derived from it.
    /// </summary>
    public async Task<long> InsertCaptureAsync(Capture capture, IEnumerable<FinraWeeklyRow> rows, bool replace, Action<long>? onRows, CancellationToken cancellationToken)
    {
        if (replace)
        {
            await DeleteAsync(capture.CaptureId, OtcStore.AllTables, cancellationToken);
        }

        await using (var insert = _connection.Command($"""
            INSERT INTO otc_captures ({OtcStore.CaptureColumns})
            VALUES (@id, @week, @tier, @source_update, @captured_at, @source_file, @sha, @week_source, @row_count, @execution_id, NULL, NULL, NULL, NULL)
            """, _transaction))
        {
            insert.WithParameter("@id", capture.CaptureId).WithParameter("@week", capture.WeekEnding).WithParameter("@tier", capture.Tier.ToCode())
                .WithParameter("@source_update", capture.SourceUpdate).WithParameter("@captured_at", capture.CapturedAt)
                .WithParameter("@source_file", capture.SourceFile).WithParameter("@sha", capture.SourceSha256)
                .WithParameter("@week_source", capture.WeekSource == WeekSource.Requested ? "requested" : "publication")
                .WithParameter("@row_count", capture.RowCount).WithParameter("@execution_id", capture.ExecutionId);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var bulk = await _database.BeginBulkInsertAsync(_connection, _transaction, "otc_raw", OtcColumns.Raw, cancellationToken);
        foreach (var row in rows)
        {
            await bulk.StartRowAsync(cancellationToken);
            bulk.Write(capture.CaptureId);
            bulk.Write(row.LineNumber);
            bulk.Write(row.TierDescription);
            bulk.Write(row.Symbol);
            bulk.Write(row.IssueName);
            bulk.Write(row.VenueName);
            bulk.Write(row.Mpid);
            bulk.Write(row.ShareQuantity);
            bulk.Write(row.TradeCount);
            bulk.Write(row.LastUpdateDate);
            if (row.LineNumber % 25_000 == 0)
            {
                onRows?.Invoke(row.LineNumber);
            }
        }

        return await bulk.CompleteAsync(cancellationToken);
    }

    /// <summary>Deletes a capture's normalized rows, rejects and summaries and starts writing new ones.</summary>
    public async Task<NormalizedRows> BeginNormalizedAsync(Capture capture, CancellationToken cancellationToken)
    {
        await DeleteAsync(capture.CaptureId, OtcStore.DerivedTables, cancellationToken);
        var bulk = await _database.BeginBulkInsertAsync(_connection, _transaction, "otc_venue_volume", OtcColumns.VenueVolume, cancellationToken);
        return new NormalizedRows(this, bulk, capture);
    }

    /// <summary>Deletes a capture's summaries and starts writing its symbol summaries.</summary>
    public async Task<SymbolSummaryRows> BeginSymbolSummariesAsync(Capture capture, CancellationToken cancellationToken)
    {
        await DeleteAsync(capture.CaptureId, OtcStore.SummaryTables, cancellationToken);
        var bulk = await _database.BeginBulkInsertAsync(_connection, _transaction, "otc_symbol_summary", OtcColumns.SymbolSummary, cancellationToken);
        return new SymbolSummaryRows(bulk, capture);
    }

    /// <summary>Writes a capture's venue shares and marks it summarized (after its symbol summaries).</summary>
    public async Task WriteVenueSharesAsync(Capture capture, IReadOnlyList<VenueShare> venues, DateTimeOffset summarizedAt, CancellationToken cancellationToken)
    {
        await using (var bulk = await _database.BeginBulkInsertAsync(_connection, _transaction, "otc_venue_share", OtcColumns.VenueShare, cancellationToken))
        {
            foreach (var venue in venues)
            {
                await bulk.StartRowAsync(cancellationToken);
                bulk.Write(capture.CaptureId);
                bulk.Write(venue.Mpid);
                LineageWriter.WriteWeekAndTier(bulk, capture);
                bulk.Write(venue.VenueName);
                bulk.Write(venue.TotalShares);
                bulk.Write(venue.TotalTrades);
                bulk.Write(venue.SymbolCount);
                bulk.Write(venue.SharePercent);
                bulk.Write(venue.Rank);
                bulk.Write(venue.AverageTradeSize);
                LineageWriter.WriteClocksAndFile(bulk, capture);
            }

            await bulk.CompleteAsync(cancellationToken);
        }

        await ExecuteAsync("UPDATE otc_captures SET summarized_at = @at WHERE capture_id = @id",
            c => c.WithParameter("@at", summarizedAt).WithParameter("@id", capture.CaptureId), cancellationToken);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    internal async Task WriteRejectsAndMarkNormalizedAsync(Capture capture, IReadOnlyList<RejectedRow> rejects, long accepted, DateTimeOffset normalizedAt, CancellationToken cancellationToken)
    {
        if (rejects.Count > 0)
        {
            await using var bulk = await _database.BeginBulkInsertAsync(_connection, _transaction, "otc_rejects", OtcColumns.Rejects, cancellationToken);
            foreach (var reject in rejects)
            {
                await bulk.StartRowAsync(cancellationToken);
                bulk.Write(capture.CaptureId);
                bulk.Write(reject.SourceLine);
                bulk.Write(reject.ReasonCode);
                bulk.Write(reject.ReasonDetail);
                bulk.Write(reject.RawLine);
                LineageWriter.WriteWeekAndTier(bulk, capture);
                LineageWriter.WriteClocksAndFile(bulk, capture);
            }

            await bulk.CompleteAsync(cancellationToken);
        }

        await ExecuteAsync(
            "UPDATE otc_captures SET normalized_at = @at, accepted_count = @accepted, rejected_count = @rejected, summarized_at = NULL WHERE capture_id = @id",
            c => c.WithParameter("@at", normalizedAt).WithParameter("@accepted", accepted).WithParameter("@rejected", (long)rejects.Count)
                .WithParameter("@id", capture.CaptureId),
            cancellationToken);
    }

    internal async Task DeleteAsync(string captureId, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            await ExecuteAsync($"DELETE FROM {table} WHERE capture_id = @id", c => c.WithParameter("@id", captureId), cancellationToken);
        }
    }

    private async Task ExecuteAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = _connection.Command(sql, _transaction);
        bind(command);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
