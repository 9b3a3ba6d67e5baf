using System.Diagnostics;
using System.Text.Json;
using MarketSpine.Cli.Tests.Support;

namespace MarketSpine.Cli.Tests;

/// <summary>
/// The real executable, once: its exit codes reach the shell and, with standard output redirected,
/// JSON comes out plain (no colours, no ANSI escapes, no wrapping).
/// </summary>
public sealed class ProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_executable_exits_0_with_plain_json_and_2_on_bad_usage()
    {
        using var workspace = new CliWorkspace();

        var list = await RunSpineAsync(workspace, "list", "--format", "json");
        Assert.True(list.ExitCode == 0, $"exit {list.ExitCode}\n{list.Stderr}");
        Assert.DoesNotContain('\u001b', list.Stdout);
        using (var json = JsonDocument.Parse(list.Stdout))
        {
            Assert.Contains("finra.otc_transparency.run_week", json.RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        }

        var run = await RunSpineAsync(workspace, "run", "finra.otc_transparency.run_wek", "-p", "tier=OTC");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.DoesNotContain('\u001b', run.Stderr);
        Assert.Equal("error: Unknown pipeline 'finra.otc_transparency.run_wek'. Did you mean: finra.otc_transparency.run_week?", run.Stderr.Trim());
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunSpineAsync(CliWorkspace workspace, params string[] args)
    {
        var spine = typeof(CliApp).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workspace.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(spine);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in workspace.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"spine {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
