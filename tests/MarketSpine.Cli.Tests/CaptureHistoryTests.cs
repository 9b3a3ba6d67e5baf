using MarketSpine.Cli.Tests.Support;
using MarketSpine.Domains.Otc.Synthetic;

namespace MarketSpine.Cli.Tests;

/// <summary>
/// Captures through the command line: a file run twice is stored once, and a re-publication of a
/// week is a second capture beside the first, readable as of any point in time, comparable with
/// <c>captures diff</c> and removable with <c>captures gc</c>. Synthetic weeks only (never real data).
/// </summary>
public sealed class CaptureHistoryTests
{
    private const string RunWeek = "finra.otc_transparency.run_week";
    private const string OriginalId = "OTC:2025-11-14:2025-12-15";
    private const string RepublishedId = "OTC:2025-11-14:2026-02-10";
    private static readonly DateOnly Publication = new(2025, 12, 15);

    [Fact]
    public async Task Running_run_week_twice_on_one_file_stores_it_once()
    {
        using var workspace = new CliWorkspace();
        var file = workspace.WriteSynthetic(SyntheticWeekGenerator.Generate(3, 1_500, "OTC", Publication));

        var first = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC", "--format", "json");
        first.AssertExit(0);
        var firstMetrics = first.Json().GetProperty("metrics");
        Assert.Equal(0, firstMetrics.GetProperty("ingest.skipped").GetDouble());
        Assert.Equal(1_500, firstMetrics.GetProperty("ingest.inserted").GetDouble());

        var second = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC", "--format", "json");
        second.AssertExit(0);
        var json = second.Json();
        Assert.Equal("completed", json.GetProperty("status").GetString());
        Assert.Equal(1, json.GetProperty("metrics").GetProperty("ingest.skipped").GetDouble());
        Assert.Equal(0, json.GetProperty("metrics").GetProperty("ingest.inserted").GetDouble());
        Assert.Equal(OriginalId, json.GetProperty("outputs").GetProperty("capture_id").GetString());

        var captures = (await workspace.JsonAsync("captures", "list", "--format", "json")).EnumerateArray().ToList();
        Assert.Equal(OriginalId, Assert.Single(captures).GetProperty("capture_id").GetString());
        Assert.Equal(1_500, captures[0].GetProperty("rows").GetInt64());

        var executions = (await workspace.JsonAsync("executions", "list", "--format", "json")).EnumerateArray().ToList();
        Assert.Equal(["completed", "completed"], executions.Select(e => e.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_re_publication_is_a_second_capture_read_as_of_any_time_diffed_and_garbage_collected()
    {
        using var workspace = new CliWorkspace();
        var original = SyntheticWeekGenerator.Generate(11, 4_000, "OTC", Publication);
        // A Tuesday two months later: not a regular publication of this week, so the week is given.
        var republished = SyntheticWeekGenerator.Republish(original, new SyntheticRepublishOptions(12, new DateOnly(2026, 2, 10)));
        var originalFile = workspace.WriteSynthetic(original);
        var republishedFile = workspace.WriteSynthetic(republished);
        Assert.NotEqual(originalFile, republishedFile);
        var before = WeeklyFileFacts.Of(originalFile);
        var after = WeeklyFileFacts.Of(republishedFile);

        (await workspace.RunAsync("run", RunWeek, "-p", $"file={originalFile}", "-p", "tier=OTC")).AssertExit(0);
        var second = await workspace.RunAsync("run", RunWeek, "-p", $"file={republishedFile}", "-p", "tier=OTC", "-p", "week_ending=2025-11-14", "--format", "json");
        second.AssertExit(0);
        Assert.Equal(RepublishedId, second.Json().GetProperty("outputs").GetProperty("capture_id").GetString());

        var captures = (await workspace.JsonAsync("captures", "list", "--format", "json")).EnumerateArray().ToList();
        Assert.Equal([OriginalId, RepublishedId], captures.Select(c => c.GetProperty("capture_id").GetString()).Order(StringComparer.Ordinal));
        Assert.All(captures, c => Assert.Equal("2025-11-14", c.GetProperty("week_ending").GetString()));
        Assert.Equal("request", captures.Single(c => c.GetProperty("capture_id").GetString() == RepublishedId).GetProperty("week_from").GetString());
        Assert.Equal("publication", captures.Single(c => c.GetProperty("capture_id").GetString() == OriginalId).GetProperty("week_from").GetString());

        // Latest: the re-publication. As of a date between the two, and by id: the original.
        await AssertVenuesReadAsync(workspace, RepublishedId, after);
        await AssertVenuesReadAsync(workspace, OriginalId, before, "--as-of", "2025-12-20");
        await AssertVenuesReadAsync(workspace, OriginalId, before, "--as-of", OriginalId);
        await AssertVenuesReadAsync(workspace, RepublishedId, after, "--as-of", "2026-02-10");

        var week = Assert.Single((await workspace.JsonAsync("query", "weeks", "--format", "json")).EnumerateArray());
        Assert.Equal(RepublishedId, week.GetProperty("capture_id").GetString());
        Assert.Equal(2, week.GetProperty("captures").GetInt32());

        var diff = await workspace.JsonAsync("captures", "diff", OriginalId, RepublishedId, "--format", "json");
        var expected = ExpectedDiff(before, after);
        Assert.Equal(OriginalId, diff.GetProperty("from").GetString());
        Assert.Equal(RepublishedId, diff.GetProperty("to").GetString());
        var added = diff.GetProperty("added").GetInt64();
        var removed = diff.GetProperty("removed").GetInt64();
        var changed = diff.GetProperty("changed").GetInt64();
        Assert.True(added > 0 && removed > 0 && changed > 0, $"the generator adds, removes and changes rows: {diff}");
        Assert.Equal((expected.Added, expected.Removed, expected.Changed, expected.Unchanged), (added, removed, changed, diff.GetProperty("unchanged").GetInt64()));
        // Rows without a symbol are rejects, not volumes, so they are outside the diff.
        Assert.Equal((after.Rows - before.Rows) - (after.EmptySymbolRows - before.EmptySymbolRows), added - removed);
        Assert.Equal(after.TotalShares - before.TotalShares, diff.GetProperty("shares_delta").GetInt64());
        Assert.Equal(after.TotalTrades - before.TotalTrades, diff.GetProperty("trades_delta").GetInt64());
        Assert.Equal(10, diff.GetProperty("changes").GetArrayLength());

        var dryRun = await workspace.JsonAsync("captures", "gc", "--keep", "1", "--dry-run", "--format", "json");
        Assert.False(dryRun.GetProperty("executed").GetBoolean());
        Assert.Equal([OriginalId], dryRun.GetProperty("deleted").EnumerateArray().Select(c => c.GetProperty("capture_id").GetString()));
        Assert.Equal([RepublishedId], dryRun.GetProperty("kept").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(2, (await workspace.JsonAsync("captures", "list", "--format", "json")).GetArrayLength());

        var dryRunTable = await workspace.RunAsync("captures", "gc", "--keep", "1", "--dry-run");
        dryRunTable.AssertExit(0);
        Assert.Contains("Would delete 1 capture(s) (dry run)", dryRunTable.Stdout, StringComparison.Ordinal);
        Assert.Contains(OriginalId, dryRunTable.Stdout, StringComparison.Ordinal);

        var gc = await workspace.JsonAsync("captures", "gc", "--keep", "1", "--format", "json");
        Assert.True(gc.GetProperty("executed").GetBoolean());
        Assert.Equal([OriginalId], gc.GetProperty("deleted").EnumerateArray().Select(c => c.GetProperty("capture_id").GetString()));
        var left = (await workspace.JsonAsync("captures", "list", "--format", "json")).EnumerateArray().ToList();
        Assert.Equal(RepublishedId, Assert.Single(left).GetProperty("capture_id").GetString());

        // Nothing was published on or before 2025-12-20 any more.
        var gone = await workspace.RunAsync("query", "venues", "--as-of", "2025-12-20", "--format", "json");
        gone.AssertExit(2);
        Assert.Equal("error: No summarized capture published on or before 2025-12-20. Run finra.otc_transparency.run_week on a file first.", gone.SingleErrorLine);
        Assert.Equal("", gone.Stdout);
    }

    [Fact]
    public async Task A_re_publication_on_a_wednesday_without_week_ending_is_refused_and_nothing_is_stored()
    {
        using var workspace = new CliWorkspace();
        var original = SyntheticWeekGenerator.Generate(11, 800, "OTC", Publication);
        var republished = SyntheticWeekGenerator.Republish(original, new SyntheticRepublishOptions(12, new DateOnly(2026, 2, 11)));
        var file = workspace.WriteSynthetic(republished);

        var run = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC");

        run.AssertExit(1);
        Assert.Equal(
            $"error: {RunWeek} failed: WEEK_UNDETERMINED: {file} was published on 2026-02-11, a Wednesday: not a regular Monday publication (nor a Tuesday after a Monday holiday), so it is likely a re-publication of an older week. Pass week_ending=YYYY-MM-DD (the Friday the week ends).",
            run.SingleErrorLine);
        Assert.Equal(0, (await workspace.JsonAsync("captures", "list", "--format", "json")).GetArrayLength());
        var failed = Assert.Single((await workspace.JsonAsync("executions", "list", "--format", "json")).EnumerateArray());
        Assert.Equal("dead_lettered", failed.GetProperty("status").GetString());
        Assert.Equal("WEEK_UNDETERMINED", failed.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_re_publication_on_a_tuesday_without_week_ending_is_refused_and_nothing_is_stored()
    {
        using var workspace = new CliWorkspace();
        var original = SyntheticWeekGenerator.Generate(11, 800, "OTC", Publication);
        var republished = SyntheticWeekGenerator.Republish(original, new SyntheticRepublishOptions(12, new DateOnly(2026, 2, 10)));
        var file = workspace.WriteSynthetic(republished);

        var run = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC");

        run.AssertExit(1);
        Assert.Contains("WEEK_UNDETERMINED", run.SingleErrorLine, StringComparison.Ordinal);
        Assert.Contains("week_ending", run.SingleErrorLine, StringComparison.Ordinal);
        Assert.Equal(0, (await workspace.JsonAsync("captures", "list", "--format", "json")).GetArrayLength());
    }

    private static async Task AssertVenuesReadAsync(CliWorkspace workspace, string captureId, WeeklyFileFacts facts, params string[] asOf)
    {
        var venues = await workspace.JsonAsync(["query", "venues", "--top", "10000", "--format", "json", .. asOf]);
        Assert.Equal(captureId, venues.GetProperty("capture_id").GetString());
        Assert.Equal("2025-11-14", venues.GetProperty("week_ending").GetString());
        Assert.Equal(facts.SharesByVenue.Count, venues.GetProperty("total").GetInt64());
        var rows = venues.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(
            facts.SharesByVenue.OrderBy(v => v.Key, StringComparer.Ordinal),
            rows.Select(r => KeyValuePair.Create(r.GetProperty("mpid").GetString()!, r.GetProperty("total_shares").GetInt64())).OrderBy(v => v.Key, StringComparer.Ordinal));
    }

    /// <summary>The diff of two files' (symbol, venue) volumes, computed from the files.</summary>
    private static (long Added, long Removed, long Changed, long Unchanged) ExpectedDiff(WeeklyFileFacts before, WeeklyFileFacts after)
    {
        long added = 0, changed = 0, unchanged = 0;
        foreach (var (key, volume) in after.Volumes)
        {
            if (!before.Volumes.TryGetValue(key, out var old))
            {
                added++;
            }
            else if (old == volume)
            {
                unchanged++;
            }
            else
            {
                changed++;
            }
        }

        return (added, before.Volumes.Keys.Count(k => !after.Volumes.ContainsKey(k)), changed, unchanged);
    }
}
