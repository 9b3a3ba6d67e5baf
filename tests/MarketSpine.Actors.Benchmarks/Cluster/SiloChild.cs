using System.Collections.Concurrent;
using System.Diagnostics;

namespace MarketSpine.Actors.Benchmarks.Cluster;

/// <summary>
/// A <c>spine-silo</c> process, started as a deployment starts it: <c>dotnet spine-silo.dll</c> (copied
/// beside the benchmark by the project reference) with its settings in environment variables, the
/// rest of the environment inherited (so <c>DOTNET_gcServer</c> and the like reach it). It keeps the
/// last lines it printed for error messages. Disposing kills it; so does <see cref="KillAll"/>, which
/// the run calls when it is interrupted, so that no silo outlives the benchmark.
/// </summary>
public sealed class SiloChild : IDisposable
{
    // Enough for the reason a silo failed to start, bounded however much it logs.
    private const int KeptLines = 200;

    private static readonly ConcurrentDictionary<SiloChild, bool> Running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SiloChild(string name, Process process)
    {
        Name = name;
        _process = process;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process printed.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>User and system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static SiloChild Start(string name, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "spine-silo.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (variable, value) in environment)
        {
            start.Environment[variable] = value;
        }

        var child = new SiloChild(name, Process.Start(start) ?? throw new InvalidOperationException("Could not start spine-silo."));
        Running[child] = true;
        return child;
    }

    /// <summary>Kills every silo process still running; for signal handlers, so it neither waits nor throws.</summary>
    public static void KillAll()
    {
        foreach (var child in Running.Keys)
        {
            try
            {
                child._process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It has exited already.
            }
        }
    }

    /// <summary>Waits for the process to end, within <paramref name="limit"/>, and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not exit within {limit}. It printed:{Environment.NewLine}{Output}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        Running.TryRemove(this, out _);
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines)
        {
            _output.TryDequeue(out _);
        }
    }
}
