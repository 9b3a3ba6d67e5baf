using System.Text.Json;

namespace MarketSpine.Cli.Tests.Support;

/// <summary>What one <c>spine</c> command did: its exit code and everything it printed.</summary>
public sealed record CliResult(IReadOnlyList<string> Args, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Non-empty lines of standard error.</summary>
    public IReadOnlyList<string> ErrorLines => Lines(Stderr);

    /// <summary>
    /// The one <c>error:</c> line of a failed command. Any other stderr line must be a progress
    /// line (<c>… step</c>), which a non-interactive run also writes to standard error.
    /// </summary>
    public string SingleErrorLine
    {
        get
        {
            var errors = ErrorLines.Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 1, $"expected exactly one 'error:' line on stderr of 'spine {string.Join(' ', Args)}', got:\n{Stderr}");
            Assert.All(ErrorLines.Where(l => !l.StartsWith("error:", StringComparison.Ordinal)), l => Assert.StartsWith("… ", l));
            return errors[0];
        }
    }

    public void AssertExit(int expected) =>
        Assert.True(ExitCode == expected,
            $"'spine {string.Join(' ', Args)}' exited {ExitCode}, expected {expected}.\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}");

    public JsonElement Json()
    {
        try
        {
            using var document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new Xunit.Sdk.XunitException($"stdout of 'spine {string.Join(' ', Args)}' is not JSON ({exception.Message}):\n{Stdout}");
        }
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
