using MarketSpine.Cli.Tests.Support;

namespace MarketSpine.Cli.Tests;

/// <summary>Where the database is, from lowest to highest precedence: a <c>.env</c> file, an environment variable, <c>--database</c>.</summary>
public sealed class SettingsTests
{
    [Fact]
    public async Task Dotenv_sets_the_database_an_environment_variable_beats_it_and_the_option_beats_both()
    {
        using var workspace = new CliWorkspace();
        workspace.Environment.Remove("SPINE_DATABASE_PATH");
        workspace.WriteFile(".env", """
            # the team's defaults
            export SPINE_LOG_LEVEL=Warning
            SPINE_DATABASE_PATH="stores/from-dotenv.db"
            """);
        var fromDotEnv = Path.Combine(workspace.Directory, "stores", "from-dotenv.db");
        var fromEnvironment = Path.Combine(workspace.Directory, "stores", "from-environment.db");
        var fromOption = Path.Combine(workspace.Directory, "stores", "from-option.db");

        var dotEnv = await workspace.RunAsync("db", "init");
        dotEnv.AssertExit(0);
        Assert.StartsWith($"✓ applied ", dotEnv.Stdout, StringComparison.Ordinal);
        Assert.Contains($" to {fromDotEnv}: ", dotEnv.Stdout, StringComparison.Ordinal);
        Assert.Equal([fromDotEnv], DatabaseFiles(workspace));

        workspace.Environment["SPINE_DATABASE_PATH"] = "stores/from-environment.db";
        var environment = await workspace.RunAsync("db", "init");
        environment.AssertExit(0);
        Assert.Contains($" to {fromEnvironment}: ", environment.Stdout, StringComparison.Ordinal);
        Assert.Equal([fromDotEnv, fromEnvironment], DatabaseFiles(workspace));

        var option = await workspace.RunAsync("db", "init", "--database", "stores/from-option.db");
        option.AssertExit(0);
        Assert.Contains($" to {fromOption}: ", option.Stdout, StringComparison.Ordinal);
        Assert.Equal([fromDotEnv, fromEnvironment, fromOption], DatabaseFiles(workspace));

        // The option is global: it is accepted before the command too, and --db is its alias.
        Assert.Equal($"✓ {fromOption} is up to date", (await workspace.RunAsync("--db", "stores/from-option.db", "db", "init")).Stdout.Trim());
        Assert.Equal($"✓ {fromEnvironment} is up to date", (await workspace.RunAsync("db", "init")).Stdout.Trim());
        Assert.Equal([fromDotEnv, fromEnvironment, fromOption], DatabaseFiles(workspace));
    }

    [Fact]
    public async Task Without_settings_the_database_is_spine_db_in_the_working_directory()
    {
        using var workspace = new CliWorkspace();
        workspace.Environment.Clear();

        var result = await workspace.RunAsync("db", "init");

        result.AssertExit(0);
        Assert.Contains($" to {Path.Combine(workspace.Directory, "spine.db")}: ", result.Stdout, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(workspace.Directory, "data", "logs")));
    }

    private static string[] DatabaseFiles(CliWorkspace workspace) =>
        [.. Directory.GetFiles(Path.Combine(workspace.Directory, "stores"), "*.db").Order(StringComparer.Ordinal)];
}
