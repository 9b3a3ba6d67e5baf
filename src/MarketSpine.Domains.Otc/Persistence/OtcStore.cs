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

    // Child tables are deleted explicitly, children first, rather than through ON DELETE CASCADE:
    // SQLite only cascades with foreign_keys on, and explicit deletes say what goes.
    internal static readonly string[] SummaryTables = ["otc_symbol_summary", "otc_venue_share"];
    internal static readonly string[] DerivedTables = [.. SummaryTables, "otc_venue_volume", "otc_rejects"];
    internal static readonly string[] AllTables = [.. DerivedTables, "otc_raw", "otc_captures"];

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

    /// <summary>The newest publication of a week and tier, summarized or not.</summary>
    public async Task<Capture?> LatestCaptureAsync(DateOnly weekEnding, OtcTier tier, CancellationToken cancellationToken)
    {
        var found = await QueryCapturesAsync("WHERE week_ending = @week AND tier = @tier ORDER BY source_update DESC LIMIT 1",
            c => c.WithParameter("@week", weekEnding).WithParameter("@tier", tier.ToCode()), cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Streams a capture's raw rows in file order.</summary>
    public async IAsyncEnumerable<FinraWeeklyRow> ReadRawAsync(string captureId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await using var cursor = await Database.OpenCursorAsync(connection, """
            SELECT source_line, tier_description, symbol, issue_name, venue_name, mpid, share_volume, trade_count, last_update_date
            FROM otc_raw WHERE capture_id = @id ORDER BY source_line
            """, new Dictionary<string, object?> { ["@id"] = captureId }, cancellationToken);
        while (await cursor.ReadAsync(cancellationToken))
        {
            yield return new FinraWeeklyRow(cursor.GetInt64(0), cursor.GetString(1), cursor.GetString(2), cursor.GetString(3), cursor.GetString(4),
                cursor.GetString(5), cursor.GetInt64(6), cursor.GetInt64(7), cursor.GetDate(8));
        }
    }

    /// <summary>
    /// Streams a capture's venue volumes grouped by symbol (key order). The average trade size is
    /// recomputed rather than parsed back from its stored text: it is a function of the counts.
    /// </summary>
    public async IAsyncEnumerable<VenueVolume> ReadVenueVolumesAsync(string captureId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await using var cursor = await Database.OpenCursorAsync(connection, """
            SELECT source_line, symbol, issue_name, mpid, venue_name, share_volume, trade_count
            FROM otc_venue_volume WHERE capture_id = @id ORDER BY symbol
            """, new Dictionary<string, object?> { ["@id"] = captureId }, cancellationToken);
        while (await cursor.ReadAsync(cancellationToken))
        {
            var shares = cursor.GetInt64(5);
            var trades = cursor.GetInt64(6);
            yield return new VenueVolume(cursor.GetInt64(0), cursor.GetString(1), cursor.GetString(2), cursor.GetString(3), cursor.GetString(4),
                shares, trades, Normalization.Normalizer.AverageTradeSize(shares, trades));
        }
    }

    /// <summary>Opens a transaction over the OTC tables.</summary>
    public Task<OtcWriteSession> BeginWriteAsync(CancellationToken cancellationToken) => OtcWriteSession.BeginAsync(Database, cancellationToken);

    /// <summary>Deletes captures and everything derived from them, in one transaction.</summary>
    public async Task DeleteCapturesAsync(IReadOnlyList<string> captureIds, CancellationToken cancellationToken)
    {
        await using var session = await BeginWriteAsync(cancellationToken);
        foreach (var id in captureIds)
        {
            await session.DeleteAsync(id, AllTables, cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
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
}
