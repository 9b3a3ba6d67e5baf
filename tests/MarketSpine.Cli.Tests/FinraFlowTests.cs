using System.Globalization;
using MarketSpine.Cli.Tests.Support;
using MarketSpine.Testing;
using Microsoft.VisualBasic.FileIO;

namespace MarketSpine.Cli.Tests;

/// <summary>
/// The FINRA flow end to end through the command line on the real weekly files in
/// ../shared/data/finra: run_week, then the queries a user would type. Expected figures come
/// from the README's reference figures and from reading the files directly (<see cref="WeeklyFileFacts"/>).
/// </summary>
public sealed class FinraFlowTests
{
    private const string RunWeek = "finra.otc_transparency.run_week";
    private const string File1215 = "finra_otc_weekly_otc_20251215.csv";
    private const string File1222 = "finra_otc_weekly_otc_20251222.csv";
    private const string File1229 = "finra_otc_weekly_otc_20251229.csv";

    [SharedDataFact]
    public async Task Run_week_on_the_20251215_file_gives_the_reference_figures()
    {
        using var workspace = new CliWorkspace();
        var file = TestEnvironment.FinraFile(File1215);
        var facts = WeeklyFileFacts.Of(file);

        var run = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC");
        run.AssertExit(0);
        Assert.Contains("✓ finra.otc_transparency.run_week completed", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("OTC:2025-11-14:2025-12-15", run.Stdout, StringComparison.Ordinal);

        var venues = await workspace.JsonAsync("query", "venues", "--format", "json");
        Assert.Equal("2025-11-14", venues.GetProperty("week_ending").GetString());
        Assert.Equal("OTC", venues.GetProperty("tier").GetString());
        Assert.Equal("OTC:2025-11-14:2025-12-15", venues.GetProperty("capture_id").GetString());
        Assert.Equal("2025-12-15", venues.GetProperty("source_update").GetString());
        Assert.Equal(9, venues.GetProperty("total").GetInt32());
        var rows = venues.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(9, rows.Count);
        Assert.Equal(facts.SharesByVenue.Count, rows.Count);
        Assert.Equal(["OTCN", "OTCX", "ARCA"], rows.Take(3).Select(r => r.GetProperty("mpid").GetString()));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9], rows.Select(r => r.GetProperty("rank").GetInt32()));

        // The README's figures (2 decimals) and what is stored (4 decimals), both also read off the file.
        var percents = rows.Take(3).Select(r => r.GetProperty("share_pct").GetDecimal()).ToList();
        Assert.Equal([82.19m, 14.42m, 3.07m], percents.Select(p => Math.Round(p, 2, MidpointRounding.AwayFromZero)));
        Assert.Equal([82.1884m, 14.4232m, 3.0691m], percents);
        Assert.Equal(rows.Select(r => facts.SharePercent(r.GetProperty("mpid").GetString()!)), rows.Select(r => r.GetProperty("share_pct").GetDecimal()));
        Assert.Equal(rows.Select(r => facts.SharesByVenue[r.GetProperty("mpid").GetString()!]), rows.Select(r => r.GetProperty("total_shares").GetInt64()));

        var weeks = (await workspace.JsonAsync("query", "weeks", "--format", "json")).EnumerateArray().ToList();
        var week = Assert.Single(weeks);
        Assert.Equal("2025-11-14", week.GetProperty("week_ending").GetString());
        Assert.Equal(1_335_995_901L, week.GetProperty("total_shares").GetInt64());
        Assert.Equal(472_776L, week.GetProperty("total_trades").GetInt64());
        Assert.Equal(facts.TotalShares, week.GetProperty("total_shares").GetInt64());
        Assert.Equal(facts.TotalTrades, week.GetProperty("total_trades").GetInt64());
        Assert.Equal(facts.SharesBySymbol.Count, week.GetProperty("symbols").GetInt64());
        Assert.Equal(9, week.GetProperty("venues").GetInt64());
        Assert.Equal(1, week.GetProperty("captures").GetInt32());

        var csv = await workspace.RunAsync("query", "symbols", "--top", "5", "--format", "csv");
        csv.AssertExit(0);
        var table = ParseCsv(csv.Stdout);
        Assert.Equal(["rank", "symbol", "issue_name", "total_shares", "total_trades", "venues", "avg_trade_size"], table[0]);
        var symbols = table.Skip(1).ToList();
        Assert.Equal(5, symbols.Count);
        Assert.Equal(["1", "2", "3", "4", "5"], symbols.Select(r => r[0]));
        var shares = symbols.Select(r => long.Parse(r[3], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(shares.OrderByDescending(s => s), shares);
        var expectedTop = facts.SharesBySymbol.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Take(5).ToList();
        Assert.Equal(expectedTop.Select(s => s.Key), symbols.Select(r => r[1]));
        Assert.Equal(expectedTop.Select(s => s.Value), shares);
        // Names with commas come back whole: the CSV quotes them.
        Assert.Equal("Eco Innovation Group, Inc. Common Stock", symbols[0][2]);
    }

    [SharedDataFact]
    public async Task All_three_real_files_load_as_three_weeks_and_the_empty_symbol_row_is_a_reject()
    {
        using var workspace = new CliWorkspace();
        var executions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { File1215, File1222, File1229 })
        {
            var run = await workspace.RunAsync("run", RunWeek, "-p", $"file={TestEnvironment.FinraFile(name)}", "-p", "tier=OTC", "--format", "json");
            run.AssertExit(0);
            executions[name] = run.Json().GetProperty("execution_id").GetString()!;
        }

        var weeks = (await workspace.JsonAsync("query", "weeks", "--format", "json")).EnumerateArray().ToList();
        Assert.Equal(["2025-11-28", "2025-11-21", "2025-11-14"], weeks.Select(w => w.GetProperty("week_ending").GetString()));
        var byWeek = new[] { File1229, File1222, File1215 }.Select(f => WeeklyFileFacts.Of(TestEnvironment.FinraFile(f))).ToList();
        Assert.Equal(byWeek.Select(f => f.TotalShares), weeks.Select(w => w.GetProperty("total_shares").GetInt64()));
        Assert.Equal(byWeek.Select(f => f.TotalTrades), weeks.Select(w => w.GetProperty("total_trades").GetInt64()));

        var captures = (await workspace.JsonAsync("captures", "list", "--format", "json")).EnumerateArray().ToList();
        Assert.Equal(
            ["OTC:2025-11-28:2025-12-29", "OTC:2025-11-21:2025-12-22", "OTC:2025-11-14:2025-12-15"],
            captures.Select(c => c.GetProperty("capture_id").GetString()));
        Assert.Equal(byWeek.Select(f => f.Rows), captures.Select(c => c.GetProperty("rows").GetInt64()));
        Assert.Equal(byWeek.Select(f => f.EmptySymbolRows), captures.Select(c => c.GetProperty("rejected").GetInt64()));

        // Checked against the file, not assumed: 4,655 rows, of which exactly one (the last) has no symbol.
        var last = WeeklyFileFacts.Of(TestEnvironment.FinraFile(File1229));
        Assert.Equal(4_655, last.Rows);
        Assert.Equal(1, last.EmptySymbolRows);
        Assert.StartsWith("OTC|||", File.ReadLines(TestEnvironment.FinraFile(File1229)).Last(), StringComparison.Ordinal);

        var shown = await workspace.JsonAsync("executions", "show", executions[File1229], "--format", "json");
        Assert.Equal("completed", shown.GetProperty("status").GetString());
        Assert.Equal(1, shown.GetProperty("reject_count").GetInt64());
        Assert.Equal(4_654, shown.GetProperty("metrics").GetProperty("normalize.accepted").GetDouble());
        Assert.Equal(1, shown.GetProperty("metrics").GetProperty("normalize.rejected").GetDouble());
        Assert.Equal("OTC:2025-11-28:2025-12-29", shown.GetProperty("outputs").GetProperty("capture_id").GetString());

        var clean = await workspace.JsonAsync("executions", "show", executions[File1215], "--format", "json");
        Assert.Equal(0, clean.GetProperty("reject_count").GetInt64());
    }

    private static List<string[]> ParseCsv(string text)
    {
        using var parser = new TextFieldParser(new StringReader(text)) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields() ?? throw new InvalidDataException("empty CSV record"));
        }

        return rows;
    }
}
