using System.Diagnostics;

namespace MarketSpine.Api.Tests.Support;

/// <summary>What one <c>spine</c> process did.</summary>
public sealed record SpineResult(string Arguments, int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"spine {Arguments} exited {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the <c>spine</c> CLI as a process (<c>dotnet spine.dll</c>, copied beside the tests), as a user does.</summary>
public static class SpineCommand
{
    public static async Task<SpineResult> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "spine.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A wide, plain console: tables are compared between runs, so no wrapping and no colours.
        start.Environment["COLUMNS"] = "240";
        start.Environment["NO_COLOR"] = "1";
        start.Environment.Remove("SPINE_SERVER");
        // The local CLI knows the test pipelines as the servers do.
        start.Environment["SPINE_GRAIN_ASSEMBLIES"] = typeof(TestPipelines.StepsPipeline).Assembly.Location;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start spine.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new SpineResult(string.Join(' ', arguments), process.ExitCode, await stdout, await stderr);
    }
}
