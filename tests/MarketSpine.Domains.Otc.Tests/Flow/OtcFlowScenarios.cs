using System.Globalization;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Pipelines;
using MarketSpine.Domains.Otc.Queries;
using MarketSpine.Domains.Otc.Tests.Harness;
using MarketSpine.Testing;

namespace MarketSpine.Domains.Otc.Tests.Flow;

/// <summary>
/// The OTC flow end to end through the dispatcher, written once and run on SQLite and on
/// PostgreSQL by the two subclasses (xunit 2 cannot vary a test attribute by subclass, so each
/// subclass declares thin test methods over these bodies).
/// </summary>
public abstract class OtcFlowScenarios
{
    private static readonly DateOnly Week = new(2025, 11, 14);

    protected abstract Task<OtcHarness> CreateHarnessAsync();

    protected async Task Reference_week_matches_the_hand_checked_figures()
    {
        await using var h = await CreateHarnessAsync();
        var run = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", TestEnvironment.FinraFile("finra_otc_weekly_otc_20251215.csv")), ("tier", "OTC"));
        Assert.Equal(ExecutionStatus.Completed, run.Status);
        Assert.Equal("OTC:2025-11-14:2025-12-15", run.Outputs["capture_id"]);
        Assert.Equal(5_328, run.Metrics["ingest.rows"]);

        var venues = await h.Queries.VenuesAsync(null, OtcTier.Otc, AsOf.Latest, 100, 0, CancellationToken.None);
        Assert.Equal(Week, venues.Capture.WeekEnding);
        Assert.Equal(9, venues.TotalRows);
        Assert.Equal(1_335_995_901, venues.Rows.Sum(v => v.TotalShares));
        Assert.Equal(472_776, venues.Rows.Sum(v => v.TotalTrades));
        Assert.Equal(["OTCN", "OTCX", "ARCA"], venues.Rows.Take(3).Select(v => v.Mpid));
        Assert.Equal([82.19m, 14.42m, 3.07m], venues.Rows.Take(3).Select(v => Math.Round(v.SharePercent, 2)));
        Assert.Equal(Enumerable.Range(1, 9), venues.Rows.Select(v => v.Rank));

        var weeks = await h.Queries.WeeksAsync(null, AsOf.Latest, CancellationToken.None);
        var week = Assert.Single(weeks);
        Assert.Equal((1_335_995_901L, 472_776L, 9L), (week.TotalShares, week.TotalTrades, week.Venues));
        Assert.Equal(run.Metrics["summarize.symbols"], week.Symbols);
    }

    protected async Task All_three_real_files_load_as_three_weeks()
    {
        await using var h = await CreateHarnessAsync();
        foreach (var file in new[] { "finra_otc_weekly_otc_20251215.csv", "finra_otc_weekly_otc_20251222.csv", "finra_otc_weekly_otc_20251229.csv" })
        {
            var run = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", TestEnvironment.FinraFile(file)), ("tier", "OTC"));
            Assert.Equal(ExecutionStatus.Completed, run.Status);
        }

        var weeks = await h.Queries.WeeksAsync(OtcTier.Otc, AsOf.Latest, CancellationToken.None);
        Assert.Equal([new DateOnly(2025, 11, 28), new DateOnly(2025, 11, 21), Week], weeks.Select(w => w.WeekEnding));
        // The 20251229 file ends with an empty-symbol row and no newline: it is the one reject.
        var rejects = await h.RowsAsync("SELECT capture_id, source_line, reason_code FROM otc_rejects");
        var reject = Assert.Single(rejects);
        Assert.Equal(("OTC:2025-11-28:2025-12-29", 4_656L, "EMPTY_SYMBOL"), ((string)reject[0]!, Convert.ToInt64(reject[1], CultureInfo.InvariantCulture), (string)reject[2]!));
    }

    protected async Task Rerunning_a_file_adds_nothing()
    {
        await using var h = await CreateHarnessAsync();
        var file = h.WriteFile("week.psv", WeekFiles.Original());
        var first = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", file), ("tier", "OTC"));
        var second = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", file), ("tier", "OTC"));
        var ingestAgain = await h.RunAsync(OtcPipelineNames.IngestWeek, ("file", file), ("tier", "OTC"));
        Assert.Equal([ExecutionStatus.Completed, ExecutionStatus.Completed, ExecutionStatus.Completed], new[] { first.Status, second.Status, ingestAgain.Status });
        Assert.Equal((0d, 1d, 1d), (first.Metrics["ingest.skipped"], second.Metrics["ingest.skipped"], ingestAgain.Metrics["skipped"]));
        Assert.Equal(1, await h.CountAsync("SELECT COUNT(*) FROM otc_captures"));
        Assert.Equal(5, await h.CountAsync("SELECT COUNT(*) FROM otc_raw"));
        Assert.Equal(4, await h.CountAsync("SELECT COUNT(*) FROM otc_venue_volume"));
        Assert.Equal(1, await h.CountAsync("SELECT COUNT(*) FROM otc_rejects"));
        Assert.Equal(1, second.RejectCount);
    }

    protected async Task Hand_written_week_summaries_and_rejects()
    {
        await using var h = await CreateHarnessAsync();
        var run = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", h.WriteFile("week.psv", WeekFiles.Original())), ("tier", "OTC"));
        Assert.True(run.Status == ExecutionStatus.Completed, run.Error?.Message);
        Assert.Equal((4d, 1d, 2d, 3d, 1000d), (run.Metrics["normalize.accepted"], run.Metrics["normalize.rejected"], run.Metrics["summarize.symbols"], run.Metrics["summarize.venues"], run.Metrics["summarize.total_shares"]));
        Assert.All(run.Quality, q => Assert.True(q.Passed, q.Message));

        var symbols = await h.Queries.SymbolsAsync(Week, OtcTier.Otc, AsOf.Latest, 10, 0, CancellationToken.None);
        Assert.Equal(
        [
            new RankedSymbol(1, "AAA", "AAA Corp", 600, 7, 2, 85.71m),
            new RankedSymbol(2, "BBB", "BBB, Inc.  Common", 400, 4, 2, 100m),
        ], symbols.Rows);
        var venues = await h.Queries.VenuesAsync(Week, OtcTier.Otc, AsOf.Latest, 10, 0, CancellationToken.None);
        Assert.Equal([("OTCN", 80m, 1), ("ARCA", 10m, 2), ("OTCX", 10m, 3)], venues.Rows.Select(v => (v.Mpid, v.SharePercent, v.Rank)));

        var reject = Assert.Single(await h.RowsAsync("SELECT source_line, reason_code, raw_line FROM otc_rejects"));
        Assert.Equal((6L, "EMPTY_SYMBOL", "OTC|||OTCN OTC LINK NQB IDQS|OTCN|7|1|2025-12-15"),
            (Convert.ToInt64(reject[0], CultureInfo.InvariantCulture), (string)reject[1]!, (string)reject[2]!));
    }

    protected async Task Every_derived_row_carries_lineage()
    {
        await using var h = await CreateHarnessAsync();
        var file = h.WriteFile("week.psv", WeekFiles.Original());
        var run = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", file), ("tier", "OTC"));
        var capture = await h.Store.GetCaptureAsync(run.Outputs["capture_id"], CancellationToken.None);
        Assert.Equal((Week, new DateOnly(2025, 12, 15), file, WeekSource.Publication, 5L, run.ExecutionId),
            (capture.WeekEnding, capture.SourceUpdate, capture.SourceFile, capture.WeekSource, capture.RowCount, capture.ExecutionId));
        foreach (var table in new[] { "otc_venue_volume", "otc_rejects", "otc_symbol_summary", "otc_venue_share" })
        {
            var missing = await h.CountAsync(
                $"SELECT COUNT(*) FROM {table} WHERE week_ending IS NULL OR source_update IS NULL OR captured_at IS NULL OR source_file <> '{file.Replace("'", "''", StringComparison.Ordinal)}' OR capture_id <> '{capture.CaptureId}'");
            Assert.True(missing == 0, $"{table}: {missing} rows without full lineage");
        }

        Assert.Equal(0, await h.CountAsync("SELECT COUNT(*) FROM otc_venue_volume v WHERE NOT EXISTS (SELECT 1 FROM otc_raw r WHERE r.capture_id = v.capture_id AND r.source_line = v.source_line)"));
    }

    protected async Task A_re_publication_is_a_second_capture_and_as_of_reads_either()
    {
        await using var h = await CreateHarnessAsync();
        var original = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", h.WriteFile("original.psv", WeekFiles.Original())), ("tier", "OTC"));
        var republishedFile = h.WriteFile("republished.psv", WeekFiles.Republished());

        // An ordinary Tuesday months later is a re-publication: the week cannot be derived.
        var withoutWeek = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", republishedFile), ("tier", "OTC"));
        Assert.Equal((ExecutionStatus.Failed, ErrorCodes.WeekUndetermined), (withoutWeek.Status, withoutWeek.Error!.Code));
        Assert.Equal(1, await h.CountAsync("SELECT COUNT(*) FROM otc_captures"));

        var republished = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", republishedFile), ("tier", "OTC"), ("week_ending", "2025-11-14"));
        Assert.Equal(ExecutionStatus.Completed, republished.Status);
        Assert.Equal("OTC:2025-11-14:2026-02-10", republished.Outputs["capture_id"]);
        var captures = await h.Queries.CapturesAsync(Week, OtcTier.Otc, CancellationToken.None);
        Assert.Equal(["OTC:2025-11-14:2026-02-10", "OTC:2025-11-14:2025-12-15"], captures.Select(c => c.CaptureId));
        Assert.Equal(WeekSource.Requested, captures[0].WeekSource);

        var latest = await h.Queries.VenuesAsync(Week, OtcTier.Otc, AsOf.Latest, 10, 0, CancellationToken.None);
        Assert.Equal(("OTC:2025-11-14:2026-02-10", 1050L), (latest.Capture.CaptureId, latest.Rows.Sum(v => v.TotalShares)));
        var asOfDate = await h.Queries.VenuesAsync(Week, OtcTier.Otc, AsOf.Parse("2025-12-20"), 10, 0, CancellationToken.None);
        Assert.Equal(("OTC:2025-11-14:2025-12-15", 1000L), (asOfDate.Capture.CaptureId, asOfDate.Rows.Sum(v => v.TotalShares)));
        var asOfId = await h.Queries.SymbolsAsync(null, null, AsOf.Parse(original.Outputs["capture_id"]), 10, 0, CancellationToken.None);
        Assert.Equal(original.Outputs["capture_id"], asOfId.Capture.CaptureId);
        await Assert.ThrowsAsync<NotFoundError>(() => h.Queries.VenuesAsync(Week, OtcTier.Otc, AsOf.Parse("2025-12-01"), 10, 0, CancellationToken.None));

        var diff = await h.Queries.DiffAsync(original.Outputs["capture_id"], republished.Outputs["capture_id"], CancellationToken.None);
        Assert.Equal((1L, 1L, 1L, 2L, 50L, 1L), (diff.Added, diff.Removed, diff.Changed, diff.Unchanged, diff.SharesDelta, diff.TradesDelta));
        Assert.Equal(
        [
            new VenueVolumeChange("AAA", "OTCN", "changed", 500, 600, 5, 6),
            new VenueVolumeChange("BBB", "ARCA", "removed", 100, null, 1, null),
            new VenueVolumeChange("CCC", "OTCX", "added", null, 50, null, 1),
        ], diff.Changes);

        var dryRun = await h.Queries.GcAsync(1, dryRun: true, null, null, CancellationToken.None);
        Assert.Equal(["OTC:2025-11-14:2025-12-15"], dryRun.Delete.Select(c => c.CaptureId));
        Assert.Equal(2, await h.CountAsync("SELECT COUNT(*) FROM otc_captures"));
        var gc = await h.Queries.GcAsync(1, dryRun: false, null, null, CancellationToken.None);
        Assert.True(gc.Executed);
        Assert.Equal(1, await h.CountAsync("SELECT COUNT(*) FROM otc_captures"));
        Assert.Equal(0, await h.CountAsync("SELECT COUNT(*) FROM otc_raw WHERE capture_id = 'OTC:2025-11-14:2025-12-15'"));
        Assert.Equal(0, await h.CountAsync("SELECT COUNT(*) FROM otc_venue_volume WHERE capture_id = 'OTC:2025-11-14:2025-12-15'"));
        await Assert.ThrowsAsync<ValidationError>(() => h.Queries.GcAsync(0, dryRun: true, null, null, CancellationToken.None));
    }

    protected async Task A_failed_ingest_leaves_nothing_behind()
    {
        await using var h = await CreateHarnessAsync();
        var cases = new (string Name, string Content, string Code, long? Line)[]
        {
            ("truncated.psv", WeekFiles.Original().TrimEnd('\n')[..^13], ErrorCodes.SourceTruncated, 6),
            ("header.psv", WeekFiles.Original().Replace("MPID", "venue", StringComparison.Ordinal), ErrorCodes.SourceHeaderMismatch, null),
            ("count.psv", WeekFiles.Original().Replace("|300|3|", "|3x0|3|", StringComparison.Ordinal), ErrorCodes.SourceMalformed, 5),
            ("empty.psv", WeekFiles.Header + "\n", ErrorCodes.SourceEmpty, null),
        };
        foreach (var (name, content, code, line) in cases)
        {
            var run = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", h.WriteFile(name, content)), ("tier", "OTC"));
            Assert.Equal(ExecutionStatus.Failed, run.Status);
            Assert.Equal(code, run.Error!.Code);
            Assert.Contains(name, run.Error.Message, StringComparison.Ordinal);
            if (line is not null)
            {
                Assert.Equal(line, Convert.ToInt64(run.Error.Details["line"]?.ToString(), CultureInfo.InvariantCulture));
            }
        }

        Assert.Equal(0, await h.CountAsync("SELECT COUNT(*) FROM otc_captures"));
        Assert.Equal(0, await h.CountAsync("SELECT COUNT(*) FROM otc_raw"));
        var failed = await h.Ledger.ListAsync(new ExecutionQuery(Status: ExecutionStatus.Failed), CancellationToken.None);
        Assert.Equal(cases.Length, failed.Count);
    }

    protected async Task A_failed_quality_gate_fails_the_run_and_stores_nothing()
    {
        await using var h = await CreateHarnessAsync();
        var negative = WeekFiles.Original().Replace("|100|1|", "|-100|1|", StringComparison.Ordinal);
        var run = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", h.WriteFile("negative.psv", negative)), ("tier", "OTC"));
        Assert.Equal(ExecutionStatus.Failed, run.Status);
        Assert.Equal(ErrorCodes.QualityGateFailed, run.Error!.Code);
        Assert.Contains("no_negative_volumes", run.Error.Message, StringComparison.Ordinal);
        Assert.Contains("line 4", run.Error.Message, StringComparison.Ordinal);
        Assert.Contains(run.Quality, q => q is { Check: "no_negative_volumes", Passed: false });
        Assert.Equal(0, await h.CountAsync("SELECT COUNT(*) FROM otc_captures"));

        // Stage by stage, the gate keeps the capture from being summarized; queries do not see it.
        var file = h.WriteFile("negative2.psv", negative);
        Assert.Equal(ExecutionStatus.Completed, (await h.RunAsync(OtcPipelineNames.IngestWeek, ("file", file), ("tier", "OTC"))).Status);
        Assert.Equal(ExecutionStatus.Completed, (await h.RunAsync(OtcPipelineNames.NormalizeWeek, ("week_ending", "2025-11-14"), ("tier", "OTC"))).Status);
        var summarize = await h.RunAsync(OtcPipelineNames.SummarizeWeek, ("week_ending", "2025-11-14"), ("tier", "OTC"));
        Assert.Equal((ExecutionStatus.Failed, ErrorCodes.QualityGateFailed), (summarize.Status, summarize.Error!.Code));
        Assert.Null((await h.Store.GetCaptureAsync("OTC:2025-11-14:2025-12-15", CancellationToken.None)).SummarizedAt);
        Assert.Empty(await h.Queries.WeeksAsync(null, AsOf.Latest, CancellationToken.None));
    }

    protected async Task Stage_by_stage_gives_what_run_week_gives()
    {
        await using var staged = await CreateHarnessAsync();
        var file = staged.WriteFile("week.psv", WeekFiles.Original());
        var summarizeTooEarly = await staged.RunAsync(OtcPipelineNames.SummarizeWeek, ("week_ending", "2025-11-14"), ("tier", "OTC"));
        Assert.Equal(ErrorCodes.CaptureNotFound, summarizeTooEarly.Error!.Code);
        Assert.Equal(ExecutionStatus.Completed, (await staged.RunAsync(OtcPipelineNames.IngestWeek, ("file", file), ("tier", "OTC"))).Status);
        var notNormalized = await staged.RunAsync(OtcPipelineNames.SummarizeWeek, ("week_ending", "2025-11-14"), ("tier", "OTC"));
        Assert.Equal(ErrorCodes.InvalidState, notNormalized.Error!.Code);
        var normalize = await staged.RunAsync(OtcPipelineNames.NormalizeWeek, ("week_ending", "2025-11-14"), ("tier", "OTC"));
        Assert.Equal((4d, 1d, 1L), (normalize.Metrics["accepted"], normalize.Metrics["rejected"], normalize.RejectCount));
        // Re-normalizing replaces, never duplicates.
        await staged.RunAsync(OtcPipelineNames.NormalizeWeek, ("week_ending", "2025-11-14"), ("tier", "OTC"), ("capture_id", "OTC:2025-11-14:2025-12-15"));
        Assert.Equal(4, await staged.CountAsync("SELECT COUNT(*) FROM otc_venue_volume"));
        var summarize = await staged.RunAsync(OtcPipelineNames.SummarizeWeek, ("week_ending", "2025-11-14"), ("tier", "OTC"));
        Assert.Equal(ExecutionStatus.Completed, summarize.Status);
        var stagedVenues = await staged.Queries.VenuesAsync(Week, OtcTier.Otc, AsOf.Latest, 10, 0, CancellationToken.None);
        var stagedSymbols = await staged.Queries.SymbolsAsync(Week, OtcTier.Otc, AsOf.Latest, 10, 0, CancellationToken.None);

        await using var direct = await CreateHarnessAsync();
        await direct.RunAsync(OtcPipelineNames.RunWeek, ("file", direct.WriteFile("week.psv", WeekFiles.Original())), ("tier", "OTC"));
        Assert.Equal(stagedVenues.Rows, (await direct.Queries.VenuesAsync(Week, OtcTier.Otc, AsOf.Latest, 10, 0, CancellationToken.None)).Rows);
        Assert.Equal(stagedSymbols.Rows, (await direct.Queries.SymbolsAsync(Week, OtcTier.Otc, AsOf.Latest, 10, 0, CancellationToken.None)).Rows);

        var mismatch = await staged.RunAsync(OtcPipelineNames.NormalizeWeek, ("week_ending", "2025-11-21"), ("tier", "OTC"), ("capture_id", "OTC:2025-11-14:2025-12-15"));
        Assert.Equal(ErrorCodes.ValidationFailed, mismatch.Error!.Code);
    }

    protected async Task A_different_file_for_the_same_publication_conflicts_unless_replaced()
    {
        await using var h = await CreateHarnessAsync();
        await h.RunAsync(OtcPipelineNames.RunWeek, ("file", h.WriteFile("a.psv", WeekFiles.Original())), ("tier", "OTC"));
        var changed = h.WriteFile("b.psv", WeekFiles.Original().Replace("|500|5|", "|900|9|", StringComparison.Ordinal));
        var conflict = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", changed), ("tier", "OTC"));
        Assert.Equal((ExecutionStatus.Failed, ErrorCodes.CaptureConflict), (conflict.Status, conflict.Error!.Code));
        Assert.Contains("replace=true", conflict.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1000, (await h.Queries.WeeksAsync(null, AsOf.Latest, CancellationToken.None))[0].TotalShares);

        var replaced = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", changed), ("tier", "OTC"), ("replace", "true"));
        Assert.Equal(ExecutionStatus.Completed, replaced.Status);
        Assert.Equal(1400, (await h.Queries.WeeksAsync(null, AsOf.Latest, CancellationToken.None))[0].TotalShares);
        Assert.Equal(1, await h.CountAsync("SELECT COUNT(*) FROM otc_captures"));
        Assert.Equal(5, await h.CountAsync("SELECT COUNT(*) FROM otc_raw"));
    }

    protected async Task Bad_parameters_are_refused_before_anything_is_stored()
    {
        await using var h = await CreateHarnessAsync();
        var file = h.WriteFile("week.psv", WeekFiles.Original());
        var missing = await Assert.ThrowsAsync<ValidationError>(() => h.RunAsync(OtcPipelineNames.RunWeek, ("tier", "OTX"), ("weekending", "x")));
        Assert.Equal(["weekending", "file", "tier"], missing.Problems.Select(p => p.Field));
        Assert.Contains("week_ending", missing.Problems[0].Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotFoundError>(() => h.RunAsync("finra.otc_transparency.run_wek", ("file", file)));
        Assert.Empty(await h.Ledger.ListAsync(new ExecutionQuery(), CancellationToken.None));

        var wrongTier = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", file), ("tier", "NMS_TIER_1"));
        Assert.Equal(ErrorCodes.ValidationFailed, wrongTier.Error!.Code);
        Assert.Contains("holds no NMS Tier 1 rows", wrongTier.Error.Message, StringComparison.Ordinal);
        // A week that is not a Friday is refused before anything is recorded, like a bad type.
        var notFriday = await Assert.ThrowsAsync<ValidationError>(() => h.RunAsync(OtcPipelineNames.RunWeek, ("file", file), ("tier", "OTC"), ("week_ending", "2025-11-13")));
        Assert.Equal("NOT_A_FRIDAY", notFriday.Problems.Single().Code);
        Assert.Single(await h.Ledger.ListAsync(new ExecutionQuery(), CancellationToken.None));
        var wednesday = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", h.WriteFile("wed.psv", WeekFiles.Original("2025-12-17"))), ("tier", "OTC"));
        Assert.Equal(ErrorCodes.WeekUndetermined, wednesday.Error!.Code);
        Assert.Equal(0, await h.CountAsync("SELECT COUNT(*) FROM otc_captures"));
    }

    protected async Task An_unsorted_file_gives_what_the_sorted_one_gives()
    {
        await using var h = await CreateHarnessAsync();
        var sorted = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", h.WriteFile("sorted.psv", WeekFiles.Original())), ("tier", "OTC"));
        var expectedVenues = (await h.Queries.VenuesAsync(Week, OtcTier.Otc, AsOf.Latest, 10, 0, CancellationToken.None)).Rows;
        var expectedSymbols = (await h.Queries.SymbolsAsync(Week, OtcTier.Otc, AsOf.Latest, 10, 0, CancellationToken.None)).Rows;
        await h.Store.DeleteCapturesAsync([sorted.Outputs["capture_id"]], CancellationToken.None);

        // Out of (symbol, MPID) order, with a duplicate (BBB at OTCN) far from its first row.
        var unsorted = WeekFiles.Lines(
            "OTC|BBB|BBB, Inc.  Common|OTCN OTC LINK NQB IDQS|OTCN|300|3|2025-12-15",
            "OTC|AAA|AAA Corp|OTCX OTC LINK ECN ATS|OTCX|100|2|2025-12-15",
            "OTC|BBB|BBB, Inc.  Common|ARCA GLOBAL OTC|ARCA|100|1|2025-12-15",
            "OTC|AAA|AAA Corp|OTCN OTC LINK NQB IDQS|OTCN|500|5|2025-12-15",
            "OTC|BBB|BBB, Inc.  Common|OTCN OTC LINK NQB IDQS|OTCN|999|9|2025-12-15");
        var run = await h.RunAsync(OtcPipelineNames.RunWeek, ("file", h.WriteFile("unsorted.psv", unsorted)), ("tier", "OTC"));
        Assert.True(run.Status == ExecutionStatus.Completed, run.Error?.Message);
        Assert.Equal(expectedVenues, (await h.Queries.VenuesAsync(Week, OtcTier.Otc, AsOf.Latest, 10, 0, CancellationToken.None)).Rows);
        Assert.Equal(expectedSymbols, (await h.Queries.SymbolsAsync(Week, OtcTier.Otc, AsOf.Latest, 10, 0, CancellationToken.None)).Rows);
        var reject = Assert.Single(await h.RowsAsync("SELECT source_line, reason_code FROM otc_rejects"));
        Assert.Equal((6L, "DUPLICATE_KEY"), (Convert.ToInt64(reject[0], CultureInfo.InvariantCulture), (string)reject[1]!));
    }
}
