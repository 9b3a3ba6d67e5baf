using System.Globalization;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Quality;
using MarketSpine.Domains.Otc.Calculations;
using MarketSpine.Domains.Otc.Calendar;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Normalization;
using MarketSpine.Domains.Otc.Parsing;
using MarketSpine.Domains.Otc.Persistence;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Domains.Otc.Pipelines;

/// <summary>
/// The three stages of a week (ingest, normalize, summarize), shared by the single-stage
/// pipelines and by <c>run_week</c>. Each stage writes in one transaction and is idempotent.
/// </summary>
public sealed partial class OtcWeekStages(OtcStore store)
{
    private const int ProgressEvery = 25_000;

    /// <summary>
    /// Stores a file as a capture (the ingest stage alone). The file is read twice: a validating
    /// pass (checksum, row count, publication dates) before any write, so a malformed or
    /// truncated file fails without touching the store; then the load itself.
    /// </summary>
    public async Task<PipelineOutcome> IngestAsync(IngestRequest request, PipelineContext context, CancellationToken cancellationToken)
    {
        var plan = await PlanIngestAsync(request, context, cancellationToken);
        if (plan.Existing is not null)
        {
            return plan.Outcome;
        }

        await using var session = await store.BeginWriteAsync(cancellationToken);
        var inserted = await LoadRawAsync(session, plan, request.Replace, context, cancellationToken);
        await session.CommitAsync(cancellationToken);
        plan.Outcome.Metrics["inserted"] = inserted;
        return plan.Outcome;
    }

    /// <summary>
    /// Ingest, normalize and summarize one file in one transaction: the capture appears with its
    /// summaries, or (a failed gate, a bad row) not at all. The stages read the file rather than
    /// reading back what they just wrote, which halves the work of a week (docs/benchmarks.md).
    /// A file already stored skips what is already done.
    /// </summary>
    public async Task<PipelineOutcome> RunWeekAsync(IngestRequest request, PipelineContext context, CancellationToken cancellationToken)
    {
        var plan = await PlanIngestAsync(request, context, cancellationToken);
        var outcome = new PipelineOutcome().Include("ingest", plan.Outcome);
        if (plan.Existing is { } existing)
        {
            if (existing.NormalizedAt is null)
            {
                outcome.Include("normalize", await NormalizeAsync(existing, context, cancellationToken));
                existing = await store.GetCaptureAsync(existing.CaptureId, cancellationToken);
            }

            if (existing.SummarizedAt is null)
            {
                outcome.Include("summarize", await SummarizeAsync(existing, context, cancellationToken));
            }

            outcome.RejectCount = existing.RejectedCount ?? outcome.RejectCount;
            return outcome;
        }

        var capture = plan.Capture;
        await using var session = await store.BeginWriteAsync(cancellationToken);
        outcome.Metrics["ingest.inserted"] = await LoadRawAsync(session, plan, request.Replace, context, cancellationToken);
        var week = new WeekSummaryCalculator();
        // A file out of (symbol, MPID) order cannot stream its symbol summaries: they are gathered
        // while normalizing. A sorted file (FINRA's are) streams them from a second read instead.
        var gathered = plan.SortedByKey ? null : new SymbolSummaryCalculator(groupedBySymbol: false);
        outcome.Include("normalize", await NormalizeIntoAsync(session, capture, FileRows(capture, cancellationToken), plan.SortedByKey, week, gathered, context, cancellationToken));
        var quality = EnforceGates(capture, week);
        var symbols = gathered is null
            ? await WriteSymbolSummariesAsync(session, capture, AcceptedRows(capture, FileRows(capture, cancellationToken), context), cancellationToken)
            : await WriteSymbolSummariesAsync(session, capture, gathered.Finish(), cancellationToken);
        outcome.Include("summarize", await FinishSummaryAsync(session, capture, week, symbols, quality, context, cancellationToken));
        await session.CommitAsync(cancellationToken);
        return outcome;
    }

    /// <summary>Validates a capture's stored raw rows into venue volumes and rejects, replacing earlier ones.</summary>
    public async Task<PipelineOutcome> NormalizeAsync(Capture capture, PipelineContext context, CancellationToken cancellationToken)
    {
        await using var session = await store.BeginWriteAsync(cancellationToken);
        // Stored rows come back in file order, whose key order is not recorded: remember every key.
        var outcome = await NormalizeIntoAsync(session, capture, store.ReadRawAsync(capture.CaptureId, cancellationToken), false, null, null, context, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Computes symbol summaries and venue shares of a normalized capture, replacing earlier ones,
    /// behind the quality gates: a failed gate leaves the previous summaries in place. One pass
    /// over the stored rows in symbol order, writing each symbol's summary as it ends.
    /// </summary>
    public async Task<PipelineOutcome> SummarizeAsync(Capture capture, PipelineContext context, CancellationToken cancellationToken)
    {
        var week = new WeekSummaryCalculator();
        var total = capture.AcceptedCount ?? capture.RowCount;
        context.ReportProgress("summarize", 0, total);
        await using var session = await store.BeginWriteAsync(cancellationToken);
        var symbols = await WriteSymbolSummariesAsync(session, capture, Counted(store.ReadVenueVolumesAsync(capture.CaptureId, cancellationToken)), cancellationToken);
        var outcome = await FinishSummaryAsync(session, capture, week, symbols, EnforceGates(capture, week), context, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return outcome;

        async IAsyncEnumerable<VenueVolume> Counted(IAsyncEnumerable<VenueVolume> rows)
        {
            await foreach (var row in rows)
            {
                week.Add(row);
                if (week.RowCount % ProgressEvery == 0)
                {
                    context.ReportProgress("summarize", week.RowCount, total);
                }

                yield return row;
            }
        }
    }

    private async Task<IngestPlan> PlanIngestAsync(IngestRequest request, PipelineContext context, CancellationToken cancellationToken)
    {
        var outcome = new PipelineOutcome();
        context.ReportProgress("ingest: validating file", 0, null);
        var scan = ScanFile(request.File, request.Tier, cancellationToken);
        var (weekEnding, weekSource) = WeekCalendar.Resolve(request.WeekEnding, scan.EarliestUpdate, request.Tier, request.File);
        var captureId = CaptureId.Of(request.Tier, weekEnding, scan.LatestUpdate);
        outcome.Metrics["rows"] = scan.Rows;
        outcome.Outputs["capture_id"] = captureId;
        outcome.Outputs["week_ending"] = weekEnding.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var existing = await store.FindCaptureAsync(captureId, cancellationToken);
        if (existing is not null && !request.Replace)
        {
            if (!string.Equals(existing.SourceSha256, scan.Sha256, StringComparison.Ordinal))
            {
                throw new LoadError(ErrorCodes.CaptureConflict,
                    $"Capture {captureId} already holds a different file ({Path.GetFileName(existing.SourceFile)}, sha256 {existing.SourceSha256[..12]}) for the same week, tier and publication date; this file's sha256 is {scan.Sha256[..12]}. Pass replace=true to replace it.",
                    new Dictionary<string, object?> { ["capture_id"] = captureId, ["existing_file"] = existing.SourceFile });
            }

            LogAlreadyIngested(context.Logger, captureId, request.File);
            outcome.Metrics["inserted"] = 0;
            outcome.Metrics["skipped"] = 1;
            return new IngestPlan(existing, existing, outcome, scan.SortedByKey);
        }

        outcome.Metrics["skipped"] = 0;
        var capture = new Capture(captureId, weekEnding, request.Tier, scan.LatestUpdate, context.Clock.GetUtcNow(), request.File, scan.Sha256, weekSource,
            scan.Rows, context.ExecutionId, null, null, null, null);
        return new IngestPlan(capture, null, outcome, scan.SortedByKey);
    }

    private static async Task<long> LoadRawAsync(OtcWriteSession session, IngestPlan plan, bool replace, PipelineContext context, CancellationToken cancellationToken)
    {
        var capture = plan.Capture;
        context.ReportProgress("ingest: loading rows", 0, capture.RowCount);
        var inserted = await session.InsertCaptureAsync(capture, new FinraWeeklyFileSource(capture.SourceFile).Read(), replace,
            line => context.ReportProgress("ingest: loading rows", line - 1, capture.RowCount), cancellationToken);
        context.ReportProgress("ingest: loading rows", inserted, capture.RowCount);
        LogIngested(context.Logger, capture.CaptureId, inserted, capture.SourceFile, capture.WeekEnding, capture.WeekSource);
        return inserted;
    }

    private static async Task<PipelineOutcome> NormalizeIntoAsync(
        OtcWriteSession session, Capture capture, IAsyncEnumerable<FinraWeeklyRow> rows, bool sortedByKey, WeekSummaryCalculator? week, SymbolSummaryCalculator? gathered,
        PipelineContext context, CancellationToken cancellationToken)
    {
        var normalizer = new Normalizer(capture.Tier, sortedByKey);
        long processed = 0;
        context.ReportProgress("normalize", 0, capture.RowCount);
        await using (var writer = await session.BeginNormalizedAsync(capture, cancellationToken))
        {
            await foreach (var row in rows)
            {
                var accepted = normalizer.Normalize(row, out var rejected);
                if (accepted is not null)
                {
                    await writer.AddAsync(accepted, cancellationToken);
                    week?.Add(accepted);
                    gathered?.Add(accepted);
                }
                else
                {
                    writer.Reject(rejected!);
                }

                if (++processed % ProgressEvery == 0)
                {
                    context.ReportProgress("normalize", processed, capture.RowCount);
                }
            }

            await writer.CompleteAsync(context.Clock.GetUtcNow(), cancellationToken);
        }

        context.ReportProgress("normalize", processed, capture.RowCount);
        LogNormalized(context.Logger, capture.CaptureId, normalizer.Accepted, normalizer.Rejected);
        var outcome = new PipelineOutcome { RejectCount = normalizer.Rejected };
        outcome.Metrics["accepted"] = normalizer.Accepted;
        outcome.Metrics["rejected"] = normalizer.Rejected;
        outcome.Outputs["capture_id"] = capture.CaptureId;
        outcome.Quality.Add(OtcQualityChecks.RejectRate(normalizer.Accepted, normalizer.Rejected));
        return outcome;
    }

    private static IReadOnlyList<QualityResult> EnforceGates(Capture capture, WeekSummaryCalculator week) => QualityGate.Enforce(
    [
        OtcQualityChecks.RowsPresent(week.RowCount, capture.CaptureId),
        OtcQualityChecks.NoNegativeVolumes(week.NegativeRows, week.FirstNegativeLine, capture.CaptureId),
        OtcQualityChecks.SharesSumTo100(week.VenueShares()),
    ]);

    /// <summary>Writes symbol summaries as rows grouped by symbol stream past; returns how many.</summary>
    private static async Task<long> WriteSymbolSummariesAsync(OtcWriteSession session, Capture capture, IAsyncEnumerable<VenueVolume> groupedRows, CancellationToken cancellationToken)
    {
        var calculator = new SymbolSummaryCalculator(groupedBySymbol: true);
        await using var writer = await session.BeginSymbolSummariesAsync(capture, cancellationToken);
        await foreach (var row in groupedRows)
        {
            if (calculator.Add(row) is { } finished)
            {
                await writer.AddAsync(finished, cancellationToken);
            }
        }

        foreach (var last in calculator.Finish())
        {
            await writer.AddAsync(last, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
        return writer.Count;
    }

    private static async Task<long> WriteSymbolSummariesAsync(OtcWriteSession session, Capture capture, IReadOnlyList<SymbolSummary> summaries, CancellationToken cancellationToken)
    {
        await using var writer = await session.BeginSymbolSummariesAsync(capture, cancellationToken);
        foreach (var summary in summaries)
        {
            await writer.AddAsync(summary, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
        return writer.Count;
    }

    private static async Task<PipelineOutcome> FinishSummaryAsync(
        OtcWriteSession session, Capture capture, WeekSummaryCalculator week, long symbols, IReadOnlyList<QualityResult> quality, PipelineContext context, CancellationToken cancellationToken)
    {
        var venues = week.VenueShares();
        await session.WriteVenueSharesAsync(capture, venues, context.Clock.GetUtcNow(), cancellationToken);
        context.ReportProgress("summarize", week.RowCount, week.RowCount);
        LogSummarized(context.Logger, capture.CaptureId, symbols, venues.Count, week.TotalShares);
        var outcome = new PipelineOutcome();
        outcome.Metrics["symbols"] = symbols;
        outcome.Metrics["venues"] = venues.Count;
        outcome.Metrics["total_shares"] = week.TotalShares;
        outcome.Metrics["total_trades"] = week.TotalTrades;
        outcome.Outputs["capture_id"] = capture.CaptureId;
        outcome.Quality.AddRange(quality);
        return outcome;
    }

    private static IAsyncEnumerable<FinraWeeklyRow> FileRows(Capture capture, CancellationToken cancellationToken) =>
        new FinraWeeklyFileSource(capture.SourceFile).ReadAsync(cancellationToken);

    /// <summary>A sorted file's accepted rows again, through a fresh normalizer: the same rows the normalize pass stored.</summary>
    private static async IAsyncEnumerable<VenueVolume> AcceptedRows(Capture capture, IAsyncEnumerable<FinraWeeklyRow> rows, PipelineContext context)
    {
        var normalizer = new Normalizer(capture.Tier, inputSortedByKey: true);
        long read = 0;
        await foreach (var row in rows)
        {
            if (++read % ProgressEvery == 0)
            {
                context.ReportProgress("summarize", read, capture.RowCount);
            }

            if (normalizer.Normalize(row, out _) is { } accepted)
            {
                yield return accepted;
            }
        }
    }

    /// <summary>The capture a stage works on: the given id, else the week's newest publication.</summary>
    public async Task<Capture> ResolveCaptureAsync(DateOnly weekEnding, OtcTier tier, string? captureId, CancellationToken cancellationToken)
    {
        WeekCalendar.EnsureFriday(weekEnding, "week_ending");
        if (captureId is not null)
        {
            var capture = await store.GetCaptureAsync(captureId, cancellationToken);
            if (capture.WeekEnding != weekEnding || capture.Tier != tier)
            {
                throw new ValidationError(new ValidationProblem("capture_id", "CAPTURE_MISMATCH",
                    $"Capture {captureId} is week {capture.WeekEnding:yyyy-MM-dd} tier {capture.Tier.ToCode()}, not week {weekEnding:yyyy-MM-dd} tier {tier.ToCode()}."));
            }

            return capture;
        }

        return await store.LatestCaptureAsync(weekEnding, tier, cancellationToken)
               ?? throw new NotFoundError(ErrorCodes.CaptureNotFound,
                   $"No capture of week {weekEnding:yyyy-MM-dd} tier {tier.ToCode()}: ingest a file first (finra.otc_transparency.ingest_week).",
                   new Dictionary<string, object?> { ["week_ending"] = weekEnding.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["tier"] = tier.ToCode() });
    }

    private static FileScan ScanFile(string file, OtcTier tier, CancellationToken cancellationToken)
    {
        long rows = 0;
        long matchingTier = 0;
        DateOnly? earliest = null;
        DateOnly? latest = null;
        var sortedByKey = true;
        string? lastSymbol = null;
        var lastMpid = "";
        var otherTiers = new HashSet<string>(StringComparer.Ordinal);
        var expected = tier.ToFileDescription();
        using var stream = new HashingReadStream(new FinraWeeklyFileSource(file).OpenRead());
        foreach (var row in FinraWeeklyParser.Parse(stream, file))
        {
            rows++;
            if (string.Equals(row.TierDescription, expected, StringComparison.Ordinal) ||
                (OtcTiers.TryParse(row.TierDescription, out var rowTier) && rowTier == tier))
            {
                matchingTier++;
            }
            else if (otherTiers.Count < 5)
            {
                otherTiers.Add(row.TierDescription);
            }

            // Rows the normalizer could accept must come in (symbol, MPID) order for it to find
            // duplicates without remembering every key.
            if (sortedByKey && row.Symbol.Length > 0 && row.Mpid.Length > 0)
            {
                sortedByKey = lastSymbol is null || Normalizer.CompareKeys(row.Symbol, row.Mpid, lastSymbol, lastMpid) > 0;
                (lastSymbol, lastMpid) = (row.Symbol, row.Mpid);
            }

            earliest = earliest is null || row.LastUpdateDate < earliest ? row.LastUpdateDate : earliest;
            latest = latest is null || row.LastUpdateDate > latest ? row.LastUpdateDate : latest;
            if (rows % 65_536 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        if (rows == 0)
        {
            throw new SourceError(ErrorCodes.SourceEmpty, $"{file}: the file has a header but no data rows.", file);
        }

        if (matchingTier == 0)
        {
            throw new ValidationError(new ValidationProblem("tier", "TIER_NOT_IN_FILE",
                $"{file} holds no {expected} rows (found: {string.Join(", ", otherTiers.Select(t => $"'{t}'"))}); pass the file's tier."));
        }

        return new FileScan(rows, earliest!.Value, latest!.Value, stream.Sha256Hex(), sortedByKey);
    }

    private readonly record struct FileScan(long Rows, DateOnly EarliestUpdate, DateOnly LatestUpdate, string Sha256, bool SortedByKey);

    /// <summary>What an ingest will do: the capture to write, or the one already holding this file.</summary>
    private sealed record IngestPlan(Capture Capture, Capture? Existing, PipelineOutcome Outcome, bool SortedByKey);

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Capture {CaptureId} already holds {File}; nothing ingested")]
    private static partial void LogAlreadyIngested(ILogger logger, string captureId, string file);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Ingested {Rows} rows of {File} as capture {CaptureId} (week {WeekEnding} from {WeekSource})")]
    private static partial void LogIngested(ILogger logger, string captureId, long rows, string file, DateOnly weekEnding, WeekSource weekSource);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Normalized capture {CaptureId}: {Accepted} accepted, {Rejected} rejected")]
    private static partial void LogNormalized(ILogger logger, string captureId, long accepted, long rejected);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Summarized capture {CaptureId}: {Symbols} symbols, {Venues} venues, {TotalShares} shares")]
    private static partial void LogSummarized(ILogger logger, string captureId, long symbols, int venues, long totalShares);
}
