using System.Data.Common;
using System.Runtime.CompilerServices;
using MarketSpine.Core.Data;
using MarketSpine.Core.Errors;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Parsing;

namespace MarketSpine.Domains.Otc.Persistence;

/// <summary>
/// The OTC tables. Each write of a stage is one transaction: a capture appears with all its raw
/// rows or not at all, and a stage's outputs are replaced whole, so re-running a stage is
/// idempotent and a failure leaves the previous state.
/// </summary>
public sealed class OtcStore(ISpineDatabase database)
{
    internal const string CaptureColumns =
        "capture_id, week_ending, tier, source_update, captured_at, source_file, source_sha256, week_source, row_count, execution_id, normalized_at, accepted_count, rejected_count, summarized_at";

    public ISpineDatabase Database { get; } = database;

    public async Task<Capture?> FindCaptureAsync(string captureId, CancellationToken cancellationToken)
    {
        var found = await QueryCapturesAsync("WHERE capture_id = @id", c => c.WithParameter("@id", captureId), cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>A capture by id, or <c>CAPTURE_NOT_FOUND</c>.</summary>
    public async Task<Capture> GetCaptureAsync(string captureId, CancellationToken cancellationToken) =>
        await FindCaptureAsync(captureId, cancellationToken)
        ?? throw new NotFoundError(ErrorCodes.CaptureNotFound, $"Capture {captureId} does not exist. 'spine captures list' shows the captures.",
            new Dictionary<string, object?> { ["capture_id"] = captureId });

    /// <summary>Captures, newest week first and, within a week and tier, newest publication first.</summary>
    public Task<IReadOnlyList<Capture>> ListCapturesAsync(DateOnly? weekEnding, OtcTier? tier, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        if (weekEnding is not null)
        {
            where.Add("week_ending = @week");
        }

        if (tier is not null)
        {
            where.Add("tier = @tier");
        }

        return QueryCapturesAsync(
            (where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "") + " ORDER BY week_ending DESC, tier, source_update DESC",
            c =>
            {
                if (weekEnding is { } week)
                {
                    c.WithParameter("@week", week);
                }

                if (tier is { } t)
                {
                    c.WithParameter("@tier", t.ToCode());
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// The newest capture of a week and tier: optionally only summarized ones, and only those
    /// published on or before a date (the "as of" view).
    /// </summary>
    public async Task<Capture?> LatestCaptureAsync(DateOnly weekEnding, OtcTier tier, bool summarizedOnly, DateOnly? publishedOnOrBefore, CancellationToken cancellationToken)
    {
        var sql = "WHERE week_ending = @week AND tier = @tier"
                  + (summarizedOnly ? " AND summarized_at IS NOT NULL" : "")
                  + (publishedOnOrBefore is not null ? " AND source_update <= @as_of" : "")
                  + " ORDER BY source_update DESC LIMIT 1";
        var found = await QueryCapturesAsync(sql, c =>
        {
            c.WithParameter("@week", weekEnding).WithParameter("@tier", tier.ToCode());
            if (publishedOnOrBefore is { } asOf)
            {
                c.WithParameter("@as_of", asOf);
            }
        }, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>
    /// Stores a capture and its raw rows in one transaction. With <paramref name="replace"/> an
    /// existing capture of the same id is deleted first (with everything derived from it).
    /// </summary>
    public async Task<long> InsertCaptureAsync(Capture capture, IEnumerable<FinraWeeklyRow> rows, bool replace, Action<long>? onRows, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (replace)
        {
            await DeleteCaptureRowsAsync(connection, transaction, capture.CaptureId, cancellationToken);
        }

        await using (var insert = connection.Command($"""
            INSERT INTO otc_captures ({CaptureColumns})
            VALUES (@id, @week, @tier, @source_update, @captured_at, @source_file, @sha, @week_source, @row_count, @execution_id, NULL, NULL, NULL, NULL)
            """, transaction))
        {
            insert.WithParameter("@id", capture.CaptureId).WithParameter("@week", capture.WeekEnding).WithParameter("@tier", capture.Tier.ToCode())
                .WithParameter("@source_update", capture.SourceUpdate).WithParameter("@captured_at", capture.CapturedAt)
                .WithParameter("@source_file", capture.SourceFile).WithParameter("@sha", capture.SourceSha256)
                .WithParameter("@week_source", capture.WeekSource == WeekSource.Requested ? "requested" : "publication")
                .WithParameter("@row_count", capture.RowCount).WithParameter("@execution_id", capture.ExecutionId);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        long written;
        await using (var bulk = await Database.BeginBulkInsertAsync(connection, transaction, "otc_raw", OtcColumns.Raw, cancellationToken))
        {
            foreach (var row in rows)
            {
                await bulk.StartRowAsync(cancellationToken);
                bulk.Write(capture.CaptureId);
                bulk.Write(row.LineNumber);
                LineageWriter.WriteWeekAndTier(bulk, capture);
                bulk.Write(capture.SourceUpdate);
                bulk.Write(capture.CapturedAt);
                bulk.Write(capture.SourceFile);
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

            written = await bulk.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>Streams a capture's raw rows in file order.</summary>
    public async IAsyncEnumerable<FinraWeeklyRow> ReadRawAsync(string captureId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT source_line, tier_description, symbol, issue_name, venue_name, mpid, share_volume, trade_count, last_update_date
            FROM otc_raw WHERE capture_id = @id ORDER BY source_line
            """).WithParameter("@id", captureId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new FinraWeeklyRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetFieldValue<DateOnly>(8));
        }
    }

    /// <summary>Streams a capture's venue volumes grouped by symbol (key order).</summary>
    public async IAsyncEnumerable<VenueVolume> ReadVenueVolumesAsync(string captureId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT source_line, symbol, issue_name, mpid, venue_name, share_volume, trade_count, avg_trade_size
            FROM otc_venue_volume WHERE capture_id = @id ORDER BY symbol, mpid
            """).WithParameter("@id", captureId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new VenueVolume(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetDecimal(7));
        }
    }

    /// <summary>Opens the transaction that replaces a capture's normalized rows and rejects.</summary>
    public async Task<NormalizedWriter> BeginNormalizedWriteAsync(Capture capture, CancellationToken cancellationToken)
    {
        var connection = await Database.OpenConnectionAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await DeleteDerivedAsync(connection, transaction, capture.CaptureId, ["otc_symbol_summary", "otc_venue_share", "otc_venue_volume", "otc_rejects"], cancellationToken);
        var bulk = await Database.BeginBulkInsertAsync(connection, transaction, "otc_venue_volume", OtcColumns.VenueVolume, cancellationToken);
        return new NormalizedWriter(Database, connection, transaction, bulk, capture);
    }

    /// <summary>Opens the transaction that replaces a capture's symbol summaries and venue shares.</summary>
    public async Task<SummaryWriter> BeginSummaryWriteAsync(Capture capture, CancellationToken cancellationToken)
    {
        var connection = await Database.OpenConnectionAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await DeleteDerivedAsync(connection, transaction, capture.CaptureId, ["otc_symbol_summary", "otc_venue_share"], cancellationToken);
        var bulk = await Database.BeginBulkInsertAsync(connection, transaction, "otc_symbol_summary", OtcColumns.SymbolSummary, cancellationToken);
        return new SummaryWriter(Database, connection, transaction, bulk, capture);
    }

    /// <summary>Deletes captures and everything derived from them, in one transaction.</summary>
    public async Task DeleteCapturesAsync(IReadOnlyList<string> captureIds, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var id in captureIds)
        {
            await DeleteCaptureRowsAsync(connection, transaction, id, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    internal async Task<IReadOnlyList<Capture>> QueryCapturesAsync(string tail, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {CaptureColumns} FROM otc_captures {tail}");
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var captures = new List<Capture>();
        while (await reader.ReadAsync(cancellationToken))
        {
            captures.Add(new Capture(
                reader.GetString(0), reader.GetFieldValue<DateOnly>(1), OtcTiers.FromCode(reader.GetString(2)), reader.GetFieldValue<DateOnly>(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetString(6),
                string.Equals(reader.GetString(7), "requested", StringComparison.Ordinal) ? WeekSource.Requested : WeekSource.Publication,
                reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetInt64(11), reader.IsDBNull(12) ? null : reader.GetInt64(12),
                reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13)));
        }

        return captures;
    }

    // Child tables are deleted explicitly rather than through ON DELETE CASCADE: SQLite only
    // cascades with foreign_keys on, and explicit deletes say what goes.
    private static Task DeleteCaptureRowsAsync(DbConnection connection, DbTransaction transaction, string captureId, CancellationToken cancellationToken) =>
        DeleteDerivedAsync(connection, transaction, captureId,
            ["otc_symbol_summary", "otc_venue_share", "otc_venue_volume", "otc_rejects", "otc_raw", "otc_captures"], cancellationToken);

    private static async Task DeleteDerivedAsync(DbConnection connection, DbTransaction transaction, string captureId, string[] tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            await using var delete = connection.Command($"DELETE FROM {table} WHERE capture_id = @id", transaction).WithParameter("@id", captureId);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
