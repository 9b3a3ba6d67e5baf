using MarketSpine.Cli.Hosting;
using MarketSpine.Domains.Otc.Synthetic;
using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace MarketSpine.Cli.Tests.Support;

/// <summary>
/// One test's own world: a temporary working directory holding its SQLite file and data
/// directory, and an environment naming them (as a user's shell would). Drives the <c>spine</c>
/// command line in-process exactly as <c>Program.cs</c> does, with a non-interactive, colourless,
/// 200-column console, so the output is what a pipe or CI sees. Deleted on dispose.
/// </summary>
public sealed class CliWorkspace : IDisposable
{
    /// <param name="testPipelines">Also register the test pipelines (test.cli.*) of this assembly, as an embedding host may.</param>
    public CliWorkspace(bool testPipelines = false)
    {
        Extensions = testPipelines ? new CliExtensions { PipelineAssemblies = [typeof(CliWorkspace).Assembly] } : null;
        Directory = Path.Combine(Path.GetTempPath(), $"spine-cli-test-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        Environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["SPINE_DATABASE_PATH"] = DatabasePath,
            ["SPINE_DATA_DIR"] = DataDirectory,
        };
    }

    /// <summary>The working directory of every command run here.</summary>
    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, "spine.db");

    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>The variables the CLI sees; tests may change them before a run.</summary>
    public Dictionary<string, string?> Environment { get; }

    public CliExtensions? Extensions { get; }

    /// <summary>Runs <c>spine {args}</c> to completion and returns what it printed.</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    /// <summary>Runs <c>spine {args}</c>; cancelling <paramref name="interrupt"/> is pressing Ctrl-C.</summary>
    public async Task<CliResult> RunAsync(CancellationToken interrupt, params string[] args)
    {
        // One writer for the console and the raw output, as both are standard output in the executable.
        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var exitCode = await new CliApp(console, output, error, Directory, Environment, Extensions).RunAsync(args, interrupt);
        return new CliResult(args, exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs a command that must succeed and returns its standard output as JSON.</summary>
    public async Task<System.Text.Json.JsonElement> JsonAsync(params string[] args)
    {
        var result = await RunAsync(args);
        result.AssertExit(0);
        return result.Json();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="limit"/> (20 s by default).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var deadline = DateTimeOffset.UtcNow + (limit ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"Not within {(limit ?? TimeSpan.FromSeconds(20)).TotalSeconds} s: {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>An execution's status, as <c>spine executions show</c> reports it.</summary>
    public async Task<string> StatusAsync(string executionId) =>
        (await JsonAsync("executions", "show", executionId, "--format", "json")).GetProperty("status").GetString()!;

    /// <summary>Writes a file into the workspace and returns its path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes a synthetic week (never real data) into the workspace's <c>input</c> folder and returns its path.</summary>
    public string WriteSynthetic(SyntheticWeek week) => week.WriteToDirectory(Path.Combine(Directory, "input"));

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Pooled SQLite connections can hold the file open (Windows refuses to delete it then):
            // drop the idle ones and try once more.
            SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
