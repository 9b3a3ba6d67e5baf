using MarketSpine.Core.Data;
using MarketSpine.Core.Errors;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Persistence;

namespace MarketSpine.Domains.Otc.Queries;

/// <summary>
/// The OTC read model: weeks, symbols and venues as of a point in time, and capture management
/// (list, diff, garbage collection). The CLI and the API both answer through this class.
/// </summary>
public sealed class OtcQueryService(OtcStore store) : IOtcQueries
{
    /// <summary>Every (week, tier) with the capture chosen by <paramref name="asOf"/> and its totals, newest week first.</summary>
    public async Task<IReadOnlyList<WeekOverview>> WeeksAsync(OtcTier? tier, AsOf asOf, CancellationToken cancellationToken)
    {
        var all = await store.ListCapturesAsync(null, tier, cancellationToken);
        IEnumerable<Capture> chosen;
        if (asOf.CaptureId is { } id)
        {
            chosen = [await RequireSummarizedAsync(id, cancellationToken)];
        }
        else
        {
            chosen = all
                .Where(c => c.SummarizedAt is not null && (asOf.PublishedOnOrBefore is null || c.SourceUpdate <= asOf.PublishedOnOrBefore))
                .GroupBy(c => (c.WeekEnding, c.Tier))
                .Select(g => g.MaxBy(c => c.SourceUpdate)!);
        }

        var weeks = new List<WeekOverview>();
        foreach (var capture in chosen.OrderByDescending(c => c.WeekEnding).ThenBy(c => c.Tier))
        {
            var totals = await TotalsAsync(capture.CaptureId, cancellationToken);
            var count = all.Count(c => c.WeekEnding == capture.WeekEnding && c.Tier == capture.Tier);
            weeks.Add(new WeekOverview(capture.WeekEnding, capture.Tier, capture.CaptureId, capture.SourceUpdate, count,
                totals.Shares, totals.Trades, totals.Symbols, totals.Venues));
        }

        return weeks;
    }

    /// <summary>A week's symbols ranked by share volume.</summary>
    public async Task<CapturePage<RankedSymbol>> SymbolsAsync(DateOnly? weekEnding, OtcTier? tier, AsOf asOf, int top, int offset, CancellationToken cancellationToken)
    {
        var capture = await ResolveAsync(weekEnding, tier, asOf, cancellationToken);
        await using var connection = await store.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT symbol, issue_name, total_shares, total_trades, venue_count, avg_trade_size
            FROM otc_symbol_summary WHERE capture_id = @id
            ORDER BY total_shares DESC, symbol LIMIT @top OFFSET @offset
            """).WithParameter("@id", capture.CaptureId).WithParameter("@top", top).WithParameter("@offset", offset);
        var rows = new List<RankedSymbol>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new RankedSymbol(offset + rows.Count + 1, reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                    reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetDecimal(5)));
            }
        }

        return new CapturePage<RankedSymbol>(capture, rows, await CountAsync(connection, "otc_symbol_summary", capture.CaptureId, cancellationToken));
    }

    /// <summary>A week's venues by rank, with their share of the tier's volume.</summary>
    public async Task<CapturePage<VenueShare>> VenuesAsync(DateOnly? weekEnding, OtcTier? tier, AsOf asOf, int top, int offset, CancellationToken cancellationToken)
    {
        var capture = await ResolveAsync(weekEnding, tier, asOf, cancellationToken);
        await using var connection = await store.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT mpid, venue_name, total_shares, total_trades, symbol_count, share_pct, rank, avg_trade_size
            FROM otc_venue_share WHERE capture_id = @id
            ORDER BY rank LIMIT @top OFFSET @offset
            """).WithParameter("@id", capture.CaptureId).WithParameter("@top", top).WithParameter("@offset", offset);
        var rows = new List<VenueShare>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new VenueShare(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt32(4),
                    reader.GetDecimal(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetDecimal(7)));
            }
        }

        return new CapturePage<VenueShare>(capture, rows, await CountAsync(connection, "otc_venue_share", capture.CaptureId, cancellationToken));
    }

    public Task<IReadOnlyList<Capture>> CapturesAsync(DateOnly? weekEnding, OtcTier? tier, CancellationToken cancellationToken) =>
        store.ListCapturesAsync(weekEnding, tier, cancellationToken);

    /// <summary>
    /// Compares two normalized captures of the same week and tier, (symbol, venue) by (symbol,
    /// venue). The older one is held in memory (a week is ~250,000 small rows); the newer streams.
    /// </summary>
    public async Task<CaptureDiff> DiffAsync(string fromId, string toId, CancellationToken cancellationToken)
    {
        var from = await store.GetCaptureAsync(fromId, cancellationToken);
        var to = await store.GetCaptureAsync(toId, cancellationToken);
        if (from.WeekEnding != to.WeekEnding || from.Tier != to.Tier)
        {
            throw new ValidationError(new ValidationProblem("capture", "DIFFERENT_WEEKS",
                $"{fromId} and {toId} are different weeks or tiers; a diff compares two publications of one week."));
        }

        foreach (var capture in new[] { from, to }.Where(c => c.NormalizedAt is null))
        {
            throw new InvalidStateError(ErrorCodes.InvalidState, $"Capture {capture.CaptureId} is not normalized yet; run finra.otc_transparency.normalize_week first.");
        }

        var before = new Dictionary<(string, string), (long Shares, long Trades)>();
        await foreach (var row in store.ReadVenueVolumesAsync(from.CaptureId, cancellationToken))
        {
            before[(row.Symbol, row.Mpid)] = (row.ShareVolume, row.TradeCount);
        }

        var changes = new List<VenueVolumeChange>();
        long added = 0, changed = 0, unchanged = 0, sharesDelta = 0, tradesDelta = 0;
        await foreach (var row in store.ReadVenueVolumesAsync(to.CaptureId, cancellationToken))
        {
            if (before.Remove((row.Symbol, row.Mpid), out var old))
            {
                if (old.Shares == row.ShareVolume && old.Trades == row.TradeCount)
                {
                    unchanged++;
                    continue;
                }

                changed++;
                changes.Add(new VenueVolumeChange(row.Symbol, row.Mpid, "changed", old.Shares, row.ShareVolume, old.Trades, row.TradeCount));
                sharesDelta += row.ShareVolume - old.Shares;
                tradesDelta += row.TradeCount - old.Trades;
            }
            else
            {
                added++;
                changes.Add(new VenueVolumeChange(row.Symbol, row.Mpid, "added", null, row.ShareVolume, null, row.TradeCount));
                sharesDelta += row.ShareVolume;
                tradesDelta += row.TradeCount;
            }
        }

        foreach (var ((symbol, mpid), old) in before)
        {
            changes.Add(new VenueVolumeChange(symbol, mpid, "removed", old.Shares, null, old.Trades, null));
            sharesDelta -= old.Shares;
            tradesDelta -= old.Trades;
        }

        var ordered = changes.OrderByDescending(c => Math.Abs(c.SharesDelta)).ThenBy(c => c.Symbol, StringComparer.Ordinal)
            .ThenBy(c => c.Mpid, StringComparer.Ordinal).ToList();
        return new CaptureDiff(from, to, added, before.Count, changed, unchanged, sharesDelta, tradesDelta, ordered);
    }

    /// <summary>Keeps the newest <paramref name="keep"/> publications of each (week, tier) and deletes the rest unless <paramref name="dryRun"/>.</summary>
    public async Task<GcPlan> GcAsync(int keep, bool dryRun, DateOnly? weekEnding, OtcTier? tier, CancellationToken cancellationToken)
    {
        if (keep < 1)
        {
            throw new ValidationError(new ValidationProblem("keep", "OUT_OF_RANGE", $"--keep must be at least 1 (got {keep}): gc never deletes a week's newest publication."));
        }

        var captures = await store.ListCapturesAsync(weekEnding, tier, cancellationToken);
        var delete = new List<Capture>();
        var kept = new List<Capture>();
        foreach (var group in captures.GroupBy(c => (c.WeekEnding, c.Tier)))
        {
            var newestFirst = group.OrderByDescending(c => c.SourceUpdate).ToList();
            kept.AddRange(newestFirst.Take(keep));
            delete.AddRange(newestFirst.Skip(keep));
        }

        if (!dryRun && delete.Count > 0)
        {
            await store.DeleteCapturesAsync([.. delete.Select(c => c.CaptureId)], cancellationToken);
        }

        return new GcPlan(delete, kept, !dryRun);
    }

    private async Task<Capture> ResolveAsync(DateOnly? weekEnding, OtcTier? tier, AsOf asOf, CancellationToken cancellationToken)
    {
        if (asOf.CaptureId is { } id)
        {
            var capture = await RequireSummarizedAsync(id, cancellationToken);
            if ((weekEnding is not null && weekEnding != capture.WeekEnding) || (tier is not null && tier != capture.Tier))
            {
                throw new ValidationError(new ValidationProblem("as_of", "CAPTURE_MISMATCH",
                    $"Capture {id} is week {capture.WeekEnding:yyyy-MM-dd} tier {capture.Tier.ToCode()}, which contradicts the week or tier asked for."));
            }

            return capture;
        }

        var candidates = (await store.ListCapturesAsync(weekEnding, tier, cancellationToken))
            .Where(c => c.SummarizedAt is not null && (asOf.PublishedOnOrBefore is null || c.SourceUpdate <= asOf.PublishedOnOrBefore))
            .ToList();
        // Newest week first; within it the first tier in code order; within that the newest publication.
        return candidates.OrderByDescending(c => c.WeekEnding).ThenBy(c => c.Tier).ThenByDescending(c => c.SourceUpdate).FirstOrDefault()
               ?? throw new NotFoundError(ErrorCodes.CaptureNotFound,
                   $"No summarized capture{(weekEnding is { } w ? $" of week {w:yyyy-MM-dd}" : "")}{(tier is { } t ? $" tier {t.ToCode()}" : "")}{(asOf.PublishedOnOrBefore is { } d ? $" published on or before {d:yyyy-MM-dd}" : "")}. Run finra.otc_transparency.run_week on a file first.");
    }

    private async Task<Capture> RequireSummarizedAsync(string captureId, CancellationToken cancellationToken)
    {
        var capture = await store.GetCaptureAsync(captureId, cancellationToken);
        return capture.SummarizedAt is not null
            ? capture
            : throw new InvalidStateError(ErrorCodes.InvalidState, $"Capture {captureId} is not summarized yet; run finra.otc_transparency.summarize_week first.");
    }

    private async Task<(long Shares, long Trades, long Symbols, long Venues)> TotalsAsync(string captureId, CancellationToken cancellationToken)
    {
        await using var connection = await store.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT COALESCE(SUM(total_shares), 0), COALESCE(SUM(total_trades), 0), COUNT(*),
                   (SELECT COUNT(*) FROM otc_symbol_summary s WHERE s.capture_id = @id)
            FROM otc_venue_share WHERE capture_id = @id
            """).WithParameter("@id", captureId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(3), reader.GetInt64(2));
    }

    private static async Task<long> CountAsync(System.Data.Common.DbConnection connection, string table, string captureId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT COUNT(*) FROM {table} WHERE capture_id = @id").WithParameter("@id", captureId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
