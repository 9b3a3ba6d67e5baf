using System.Text;
using MarketSpine.Cli.Tests.Support;
using MarketSpine.Domains.Otc.Synthetic;

namespace MarketSpine.Cli.Tests;

/// <summary>
/// What a user sees when the command line or the file is wrong: exit 2 for bad usage, exit 1 for
/// a run that failed, one <c>error:</c> line naming the file, line and field, and nothing stored.
/// A refused command leaves no execution; a failed run leaves a dead-lettered one (it used its one attempt).
/// </summary>
public sealed class BadInputTests
{
    private const string RunWeek = "finra.otc_transparency.run_week";
    private const string FileDescription = "Path of the weekly file (pipe- or comma-delimited, FINRA's download format).";

    [Fact]
    public async Task A_misspelt_pipeline_is_refused_with_the_near_names()
    {
        using var workspace = new CliWorkspace();
        var file = ValidFile(workspace);

        var result = await workspace.RunAsync("run", "finra.otc_transparency.run_wek", "-p", $"file={file}", "-p", "tier=OTC");

        await AssertRefusedAsync(workspace, result, "error: Unknown pipeline 'finra.otc_transparency.run_wek'. Did you mean: finra.otc_transparency.run_week?");
    }

    [Fact]
    public async Task A_missing_required_parameter_is_named()
    {
        using var workspace = new CliWorkspace();

        var result = await workspace.RunAsync("run", RunWeek, "-p", "tier=OTC");

        await AssertRefusedAsync(workspace, result, $"error: Parameter 'file' is required: {FileDescription}");
    }

    [Fact]
    public async Task An_unknown_parameter_is_refused_with_the_known_ones()
    {
        using var workspace = new CliWorkspace();
        var file = ValidFile(workspace);

        var result = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC", "-p", "colour=blue");

        await AssertRefusedAsync(workspace, result, "error: Unknown parameter 'colour'. Known: file, tier, week_ending, replace.");
    }

    [Fact]
    public async Task A_tier_outside_the_allowed_values_is_refused()
    {
        using var workspace = new CliWorkspace();
        var file = ValidFile(workspace);

        var result = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=NMS_TIER_3");

        await AssertRefusedAsync(workspace, result, "error: Parameter 'tier': 'NMS_TIER_3' is not one of NMS_TIER_1, NMS_TIER_2, OTC.");
    }

    [Fact]
    public async Task A_parameter_without_an_equals_sign_is_refused()
    {
        using var workspace = new CliWorkspace();
        var file = ValidFile(workspace);

        var result = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier");

        await AssertRefusedAsync(workspace, result, "error: -p 'tier' is not key=value.");
    }

    [Fact]
    public async Task A_missing_file_is_refused_before_running()
    {
        using var workspace = new CliWorkspace();
        var missing = Path.Combine(workspace.Directory, "no_such_week.csv");

        var result = await workspace.RunAsync("run", RunWeek, "-p", $"file={missing}", "-p", "tier=OTC");

        await AssertRefusedAsync(workspace, result, $"error: Parameter 'file': file not found: {missing}");
    }

    [Fact]
    public async Task A_file_with_another_header_fails_with_SOURCE_HEADER_MISMATCH()
    {
        using var workspace = new CliWorkspace();
        var file = workspace.WriteFile("other.csv", "date,symbol,volume\n2025-12-15,AAPL,100\n");

        var result = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC");

        await AssertRunFailedAsync(workspace, result, 1, "SOURCE_HEADER_MISMATCH",
            $"error: {RunWeek} failed: SOURCE_HEADER_MISMATCH: {file}: header is missing required column(s) tierDescription, issueSymbolIdentifier, issueName, "
            + "marketParticipantName, MPID, totalWeeklyShareQuantity, totalWeeklyTradeCount, lastUpdateDate; found: date, symbol, volume. "
            + "Expected FINRA's weekly header: tierDescription|issueSymbolIdentifier|issueName|marketParticipantName|MPID|totalWeeklyShareQuantity|totalWeeklyTradeCount|lastUpdateDate.");
    }

    [Fact]
    public async Task A_file_cut_off_in_its_last_row_fails_with_SOURCE_TRUNCATED_and_the_line()
    {
        using var workspace = new CliWorkspace();
        var lines = ValidLines();
        var last = lines[^1];
        // Keep tierDescription, issueSymbolIdentifier, issueName and half of marketParticipantName; no newline after.
        var cut = last[..(NthIndexOf(last, '|', 3) + 4)];
        var file = workspace.WriteFile("truncated.psv", string.Join('\n', lines[..^1].Append(cut)));
        var lineNumber = lines.Length;

        var result = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC");

        await AssertRunFailedAsync(workspace, result, 1, "SOURCE_TRUNCATED",
            $"error: {RunWeek} failed: SOURCE_TRUNCATED: {file}: line {lineNumber} has 4 of 8 fields, field MPID and those after it are missing; it is the last line of the file (file truncated?).");
    }

    [Fact]
    public async Task A_share_count_that_is_not_a_number_fails_with_SOURCE_MALFORMED_naming_line_and_field()
    {
        using var workspace = new CliWorkspace();
        var lines = ValidLines();
        var fields = lines[2].Split('|');
        fields[5] = "12x4";
        lines[2] = string.Join('|', fields);
        var file = workspace.WriteFile("malformed.psv", string.Join('\n', lines) + "\n");

        var result = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC");

        await AssertRunFailedAsync(workspace, result, 1, "SOURCE_MALFORMED",
            $"error: {RunWeek} failed: SOURCE_MALFORMED: {file}: line 3, field totalWeeklyShareQuantity: '12x4' is not an integer.");
    }

    [Fact]
    public async Task A_header_only_file_fails_with_SOURCE_EMPTY()
    {
        using var workspace = new CliWorkspace();
        var file = workspace.WriteFile("header_only.psv", ValidLines()[0] + "\n");

        var result = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC");

        await AssertRunFailedAsync(workspace, result, 1, "SOURCE_EMPTY",
            $"error: {RunWeek} failed: SOURCE_EMPTY: {file}: the file has a header but no data rows.");
    }

    [Fact]
    public async Task A_week_ending_that_is_not_a_friday_is_bad_usage()
    {
        using var workspace = new CliWorkspace();
        var file = ValidFile(workspace);

        var result = await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC", "-p", "week_ending=2025-11-13");

        // Checked with the parameters, before anything runs or is recorded.
        result.AssertExit(2);
        Assert.Equal("error: week_ending 2025-11-13 is a Thursday; FINRA weeks end on a Friday (the nearest is 2025-11-14).", result.SingleErrorLine);
        Assert.Equal(0, (await workspace.JsonAsync("executions", "list", "--format", "json")).GetArrayLength());
    }

    [Fact]
    public async Task A_different_file_for_a_stored_publication_fails_with_CAPTURE_CONFLICT_and_keeps_the_first()
    {
        using var workspace = new CliWorkspace();
        var first = workspace.WriteSynthetic(SyntheticWeekGenerator.Generate(5, 300, "OTC", new DateOnly(2025, 12, 15)));
        (await workspace.RunAsync("run", RunWeek, "-p", $"file={first}", "-p", "tier=OTC")).AssertExit(0);
        var other = workspace.WriteFile("other_20251215.psv", Encoding.UTF8.GetString(SyntheticWeekGenerator.Generate(6, 300, "OTC", new DateOnly(2025, 12, 15)).ToBytes()));

        var result = await workspace.RunAsync("run", RunWeek, "-p", $"file={other}", "-p", "tier=OTC");

        result.AssertExit(1);
        Assert.StartsWith($"error: {RunWeek} failed: CAPTURE_CONFLICT: Capture OTC:2025-11-14:2025-12-15 already holds a different file ({Path.GetFileName(first)}, sha256 ",
            result.SingleErrorLine, StringComparison.Ordinal);
        Assert.EndsWith("Pass replace=true to replace it.", result.SingleErrorLine, StringComparison.Ordinal);
        var capture = Assert.Single((await workspace.JsonAsync("captures", "list", "--format", "json")).EnumerateArray());
        Assert.Equal(Path.GetFileName(first), capture.GetProperty("source_file").GetString());
        Assert.Equal(300, capture.GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task An_unknown_command_or_option_is_bad_usage()
    {
        using var workspace = new CliWorkspace();

        var command = await workspace.RunAsync("frobnicate");
        command.AssertExit(2);
        Assert.Contains("error: Unrecognized command or argument 'frobnicate'.", command.ErrorLines);
        Assert.Equal("Run 'spine --help' (or 'spine <command> --help') for usage.", command.ErrorLines[^1]);
        Assert.Equal("", command.Stdout);

        var option = await workspace.RunAsync("list", "--colour");
        option.AssertExit(2);
        Assert.Equal(["error: Unrecognized command or argument '--colour'.", "Run 'spine --help' (or 'spine <command> --help') for usage."], option.ErrorLines);
        Assert.Equal("", option.Stdout);

        // A parse error stops before the store is opened: nothing was created.
        Assert.False(File.Exists(workspace.DatabasePath));
    }

    [Fact]
    public async Task Showing_an_unknown_execution_is_bad_usage()
    {
        using var workspace = new CliWorkspace();

        var result = await workspace.RunAsync("executions", "show", "exec_nope");

        await AssertRefusedAsync(workspace, result, "error: Execution exec_nope does not exist. 'spine executions list' shows recent ones.");
    }

    [Theory]
    [InlineData("--top", "0", "error: --top must be between 1 and 10000 (got 0).")]
    [InlineData("--top", "10001", "error: --top must be between 1 and 10000 (got 10001).")]
    [InlineData("--offset", "-1", "error: --offset must not be negative (got -1).")]
    [InlineData("--as-of", "garbage", "error: as_of 'garbage' is neither a date (yyyy-MM-dd), 'latest', nor a capture id such as OTC:2025-11-14:2025-12-15.")]
    [InlineData("--tier", "T3", "error: --tier 'T3' is not one of NMS_TIER_1, NMS_TIER_2, OTC.")]
    public async Task Query_options_out_of_range_are_bad_usage(string option, string value, string expected)
    {
        using var workspace = new CliWorkspace();
        var file = ValidFile(workspace);
        (await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC")).AssertExit(0);

        var result = await workspace.RunAsync("query", "venues", option, value, "--format", "json");

        result.AssertExit(2);
        Assert.Equal([expected], result.ErrorLines);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Db_reset_without_yes_off_a_terminal_is_refused_and_deletes_nothing()
    {
        using var workspace = new CliWorkspace();
        var file = ValidFile(workspace);
        (await workspace.RunAsync("run", RunWeek, "-p", $"file={file}", "-p", "tier=OTC")).AssertExit(0);
        var before = (await workspace.RunAsync("captures", "list", "--format", "json")).Stdout;

        var result = await workspace.RunAsync("db", "reset");

        result.AssertExit(2);
        Assert.Equal([$"error: db reset deletes {workspace.DatabasePath}; pass --yes to confirm when not at a terminal."], result.ErrorLines);
        Assert.Equal("", result.Stdout);
        Assert.True(File.Exists(workspace.DatabasePath));
        Assert.Equal(before, (await workspace.RunAsync("captures", "list", "--format", "json")).Stdout);
        Assert.Single((await workspace.JsonAsync("executions", "list", "--format", "json")).EnumerateArray());
    }

    /// <summary>Bad usage: exit 2, exactly one line on stderr, nothing on stdout, nothing stored, no execution.</summary>
    private static async Task AssertRefusedAsync(CliWorkspace workspace, CliResult result, string expectedError)
    {
        result.AssertExit(2);
        Assert.Equal([expectedError], result.ErrorLines);
        Assert.Equal("", result.Stdout);
        Assert.Equal(0, (await workspace.JsonAsync("captures", "list", "--format", "json")).GetArrayLength());
        Assert.Equal(0, (await workspace.JsonAsync("executions", "list", "--format", "json")).GetArrayLength());
    }

    /// <summary>A run that failed: its exit code, one error line, no capture, and one dead-lettered execution with the error's code.</summary>
    private static async Task AssertRunFailedAsync(CliWorkspace workspace, CliResult result, int exitCode, string errorCode, string expectedError)
    {
        result.AssertExit(exitCode);
        Assert.Equal(expectedError, result.SingleErrorLine);
        Assert.Equal(0, (await workspace.JsonAsync("captures", "list", "--format", "json")).GetArrayLength());
        var execution = Assert.Single((await workspace.JsonAsync("executions", "list", "--status", "dead_lettered", "--format", "json")).EnumerateArray());
        Assert.Equal(RunWeek, execution.GetProperty("pipeline").GetString());
        Assert.Equal(errorCode, execution.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, (await workspace.JsonAsync("executions", "list", "--format", "json")).GetArrayLength());
    }

    /// <summary>A small valid synthetic week (no empty-symbol rows), as lines without line ends.</summary>
    private static string[] ValidLines()
    {
        var week = SyntheticWeekGenerator.Generate(new SyntheticWeekOptions(21, 40, "OTC", new DateOnly(2025, 12, 15)) { EmptySymbolRows = 0 });
        return Encoding.UTF8.GetString(week.ToBytes()).TrimEnd('\n').Split('\n');
    }

    private static string ValidFile(CliWorkspace workspace) => workspace.WriteFile("week_20251215.psv", string.Join('\n', ValidLines()) + "\n");

    private static int NthIndexOf(string text, char c, int n)
    {
        var index = -1;
        for (var i = 0; i < n; i++)
        {
            index = text.IndexOf(c, index + 1);
        }

        return index;
    }
}
