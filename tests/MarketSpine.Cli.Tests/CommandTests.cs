using System.Text.Json;
using MarketSpine.Cli.Tests.Support;
using MarketSpine.Core.Data;
using MarketSpine.Domains.Otc.Synthetic;
using MarketSpine.Storage.Migrations;

namespace MarketSpine.Cli.Tests;

/// <summary>The commands besides <c>run</c> and <c>query</c>, in their table and JSON forms.</summary>
public sealed class CommandTests
{
    private const string RunWeek = "finra.otc_transparency.run_week";

    private static readonly string[] OtcPipelines =
    [
        "finra.otc_transparency.backfill_range",
        "finra.otc_transparency.ingest_week",
        "finra.otc_transparency.normalize_week",
        "finra.otc_transparency.run_week",
        "finra.otc_transparency.summarize_week",
    ];

    private static IReadOnlyList<Migration> Migrations => MigrationCatalog.For(SqlDialect.Sqlite);

    [Fact]
    public async Task List_shows_the_otc_pipelines_as_a_table_and_as_json()
    {
        using var workspace = new CliWorkspace();

        var table = await workspace.RunAsync("list");
        table.AssertExit(0);
        Assert.All(OtcPipelines, name => Assert.Contains($"│ {name} ", table.Stdout, StringComparison.Ordinal));

        var json = (await workspace.JsonAsync("list", "--format", "json")).EnumerateArray().ToList();
        Assert.Equal(OtcPipelines, json.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal("Ingest, normalize and summarize one FINRA OTC weekly file.",
            json.Single(p => p.GetProperty("name").GetString() == RunWeek).GetProperty("description").GetString());
    }

    [Fact]
    public async Task Describe_shows_the_parameters_with_their_types_and_required_flags()
    {
        using var workspace = new CliWorkspace();

        var json = await workspace.JsonAsync("describe", "finra.otc_transparency.ingest_week", "--format", "json");

        Assert.Equal("finra.otc_transparency.ingest_week", json.GetProperty("name").GetString());
        Assert.Equal("Ingest one FINRA OTC weekly file as a point-in-time capture of its week and tier.", json.GetProperty("description").GetString());
        var parameters = json.GetProperty("parameters").EnumerateArray()
            .Select(p => (
                Name: p.GetProperty("name").GetString(),
                Type: p.GetProperty("type").GetString(),
                Required: p.GetProperty("required").GetBoolean(),
                Default: p.GetProperty("default").GetString(),
                Allowed: p.GetProperty("allowed").ValueKind == System.Text.Json.JsonValueKind.Null
                    ? null
                    : string.Join(", ", p.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()))))
            .ToList();
        Assert.Equal(
            [
                ("file", "filepath", true, null, null),
                ("tier", "choice", true, null, "NMS_TIER_1, NMS_TIER_2, OTC"),
                ("week_ending", "date", false, null, null),
                ("replace", "boolean", false, "false", null),
            ],
            parameters);

        var table = await workspace.RunAsync("describe", "finra.otc_transparency.ingest_week");
        table.AssertExit(0);
        Assert.Contains("│ week_ending │ date     │ no       │", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Db_init_twice_then_status_then_reset()
    {
        using var workspace = new CliWorkspace();
        var files = string.Join(", ", Migrations.Select(m => m.FileName));

        var first = await workspace.RunAsync("db", "init");
        first.AssertExit(0);
        // The line is longer than the console's 200 columns since the runtime's migrations came: it wraps after a comma.
        Assert.Equal($"✓ applied {Migrations.Count} migration(s) to {workspace.DatabasePath}: {files}", first.Stdout.Trim().Replace("\n", "", StringComparison.Ordinal));

        var second = await workspace.RunAsync("db", "init");
        second.AssertExit(0);
        Assert.Equal($"✓ {workspace.DatabasePath} is up to date", second.Stdout.Trim());

        var status = await workspace.RunAsync("db", "status");
        status.AssertExit(0);
        Assert.All(Migrations, m => Assert.Contains($"│ {m.Version:000}     │ {m.Name}", status.Stdout, StringComparison.Ordinal));
        Assert.Equal(Migrations.Count, CountOccurrences(status.Stdout, "│ applied │"));
        Assert.DoesNotContain("pending", status.Stdout, StringComparison.Ordinal);

        var file = workspace.WriteSynthetic(SyntheticWeekGenerator.Generate(8, 400, "OTC", new DateOnly(2025, 12, 15)));
        (await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC")).AssertExit(0);
        Assert.Equal(1, (await workspace.JsonAsync("captures", "list", "--format", "json")).GetArrayLength());

        var reset = await workspace.RunAsync("db", "reset", "--yes");
        reset.AssertExit(0);
        Assert.Equal($"✓ reset {workspace.DatabasePath}: {Migrations.Count} migration(s) applied", reset.Stdout.Trim());
        Assert.Equal(0, (await workspace.JsonAsync("captures", "list", "--format", "json")).GetArrayLength());
        Assert.Equal(0, (await workspace.JsonAsync("executions", "list", "--format", "json")).GetArrayLength());
        Assert.Equal($"✓ {workspace.DatabasePath} is up to date", (await workspace.RunAsync("db", "init")).Stdout.Trim());
    }

    [Fact]
    public async Task Executions_list_filters_by_status_and_since_and_show_prints_one()
    {
        using var workspace = new CliWorkspace();
        var good = workspace.WriteSynthetic(SyntheticWeekGenerator.Generate(9, 500, "OTC", new DateOnly(2025, 12, 15)));
        var bad = workspace.WriteFile("header_only.psv", File.ReadLines(good).First() + "\n");
        var completed = await workspace.RunAsync("run", RunWeek, "-p", $"file={good}", "-p", "tier=OTC", "--format", "json");
        completed.AssertExit(0);
        var failed = await workspace.RunAsync("run", RunWeek, "-p", $"file={bad}", "-p", "tier=OTC", "--format", "json");
        failed.AssertExit(1);
        var completedId = completed.Json().GetProperty("execution_id").GetString()!;
        var failedId = failed.Json().GetProperty("execution_id").GetString()!;

        var all = (await workspace.JsonAsync("executions", "list", "--format", "json")).EnumerateArray().ToList();
        Assert.Equal([failedId, completedId], all.Select(e => e.GetProperty("execution_id").GetString()));

        // A run that fails its last attempt ends dead-lettered (status failed is an attempt's, between retries).
        var onlyFailed = Assert.Single((await workspace.JsonAsync("executions", "list", "--status", "dead_lettered", "--since", "7d", "--format", "json")).EnumerateArray());
        Assert.Equal(failedId, onlyFailed.GetProperty("execution_id").GetString());
        Assert.Equal("dead_lettered", onlyFailed.GetProperty("status").GetString());
        Assert.Equal(failed.Json().GetProperty("dead_letter_id").GetString(), onlyFailed.GetProperty("dead_letter_id").GetString());
        Assert.Equal(0, (await workspace.JsonAsync("executions", "list", "--status", "failed", "--format", "json")).GetArrayLength());
        Assert.Equal("SOURCE_EMPTY", onlyFailed.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(bad, onlyFailed.GetProperty("params").GetProperty("file").GetString());

        Assert.Equal(0, (await workspace.JsonAsync("executions", "list", "--status", "dead_lettered", "--since", "2999-01-01", "--format", "json")).GetArrayLength());
        Assert.Equal(completedId, Assert.Single((await workspace.JsonAsync("executions", "list", "--pipeline", RunWeek, "--status", "completed", "--format", "json")).EnumerateArray())
            .GetProperty("execution_id").GetString());

        var bogus = await workspace.RunAsync("executions", "list", "--status", "bogus");
        bogus.AssertExit(2);
        Assert.Equal(["error: --status 'bogus' is not one of pending, queued, running, completed, failed, cancelling, cancelled, dead_lettered."], bogus.ErrorLines);
        var badSince = await workspace.RunAsync("executions", "list", "--since", "a week");
        badSince.AssertExit(2);
        Assert.Equal(["error: --since 'a week' is neither a date (yyyy-MM-dd) nor a span such as 7d, 12h or 30m."], badSince.ErrorLines);

        var shown = await workspace.JsonAsync("executions", "show", completedId, "--format", "json");
        Assert.Equal(completedId, shown.GetProperty("execution_id").GetString());
        Assert.Equal(RunWeek, shown.GetProperty("pipeline").GetString());
        Assert.Equal("completed", shown.GetProperty("status").GetString());
        Assert.Equal("cli", shown.GetProperty("trigger_source").GetString());
        Assert.Equal(500, shown.GetProperty("metrics").GetProperty("ingest.rows").GetDouble());
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("error").ValueKind);
        Assert.Equal(4, shown.GetProperty("quality").GetArrayLength());

        var table = await workspace.RunAsync("executions", "show", failedId);
        table.AssertExit(0);
        var lines = table.Stdout.Split('\n');
        Assert.Equal($"✗ {RunWeek} dead_lettered  {failedId}", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("dead letter ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(failedId["exec_".Length..], StringComparison.Ordinal));
        Assert.Contains($"  SOURCE_EMPTY: {bad}: the file has a header but no data rows.", lines);
        Assert.Contains(lines, l => l.StartsWith("param tier ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" OTC", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Demo_runs_a_synthetic_week_and_prints_its_top_venues_and_symbols()
    {
        using var workspace = new CliWorkspace();

        var result = await workspace.RunAsync("demo", "--rows", "2000");

        result.AssertExit(0);
        var samples = Path.Combine(workspace.DataDirectory, "samples");
        var file = Path.Combine(samples, "synthetic_finra_otc_weekly_otc_20251215_seed42_rows2000.psv");
        Assert.Equal([file], Directory.GetFiles(samples));
        Assert.Contains($"Generated a synthetic week (2,000 rows, not real FINRA data): {file}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"✓ {RunWeek} completed", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Top venues: week ending 2025-11-14, OTC, capture OTC:2025-11-14:2025-12-15", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Top symbols: week ending 2025-11-14, OTC, capture OTC:2025-11-14:2025-12-15", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("│    1 │ OTCN │", result.Stdout, StringComparison.Ordinal);

        // Synthetic data goes to its own database, never into a real week's slot of the user's.
        var demoDatabase = Path.Combine(workspace.DataDirectory, "demo.db");
        Assert.Contains($"Database: {demoDatabase}.", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await workspace.JsonAsync("captures", "list", "--format", "json")).GetArrayLength());

        // What it printed is what is stored: the venues and the top symbol.
        var facts = WeeklyFileFacts.Of(file);
        var venues = await workspace.JsonAsync("--database", demoDatabase, "query", "venues", "--format", "json");
        Assert.Equal(facts.SharesByVenue.Count, venues.GetProperty("total").GetInt64());
        var top = facts.SharesBySymbol.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).First();
        Assert.Contains($"│    1 │ {top.Key} ", result.Stdout, StringComparison.Ordinal);
        var week = Assert.Single((await workspace.JsonAsync("--database", demoDatabase, "query", "weeks", "--format", "json")).EnumerateArray());
        Assert.Equal(facts.TotalShares, week.GetProperty("total_shares").GetInt64());

        // Another seed replaces the synthetic week instead of conflicting with it.
        (await workspace.RunAsync("demo", "--rows", "1000", "--seed", "7")).AssertExit(0);
        Assert.Equal(1, (await workspace.JsonAsync("--database", demoDatabase, "captures", "list", "--format", "json")).GetArrayLength());
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
