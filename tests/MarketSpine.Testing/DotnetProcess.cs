using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace MarketSpine.Testing;

/// <summary>
/// One of the project's executables started as a user or a deployment starts it: <c>dotnet app.dll</c>
/// (copied beside the calling tests or benchmark by their project reference), its settings in
/// environment variables over the inherited ones (so <c>DOTNET_gcServer</c> and the like reach it). The
/// last lines it printed are kept for failure messages. <see cref="Kill"/> is a crash (SIGKILL);
/// <see cref="TerminateAsync"/> is Kubernetes stopping the pod (SIGTERM). Disposing kills it if it
/// still runs; so does <see cref="KillAll"/>, for a benchmark's interrupt handler.
/// </summary>
public sealed class DotnetProcess : IDisposable
{
    private static readonly ConcurrentDictionary<DotnetProcess, bool> Running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly int _keptLines;
    private readonly Action<string>? _onLine;

    private DotnetProcess(string name, Process process, int keptLines, Action<string>? onLine)
    {
        Name = name;
        _process = process;
        _keptLines = keptLines;
        _onLine = onLine;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The lines the process printed, the last ones when there were more than it keeps.</summary>
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

    /// <summary>Starts <c>dotnet <paramref name="dll"/></c> (a file name beside this program) with <paramref name="arguments"/>.</summary>
    /// <param name="name">What failure messages call it.</param>
    /// <param name="dll">The executable's file name, such as <c>spine-silo.dll</c>.</param>
    /// <param name="environment">Variables set over the inherited environment.</param>
    /// <param name="arguments">Its command line after the dll.</param>
    /// <param name="workingDirectory">Where it runs; this process's own when null.</param>
    /// <param name="onLine">Called with each line it prints, on the thread that reads it.</param>
    /// <param name="keptLines">How many of its last lines <see cref="Output"/> holds.</param>
    public static DotnetProcess Start(
        string name, string dll, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments,
        string? workingDirectory = null, Action<string>? onLine = null, int keptLines = 10_000)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (variable, value) in environment)
        {
            start.Environment[variable] = value;
        }

        var process = new DotnetProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}."), keptLines, onLine);
        Running[process] = true;
        return process;
    }

    /// <summary>Kills every process started here that still runs; for signal handlers, so it neither waits nor throws.</summary>
    public static void KillAll()
    {
        foreach (var process in Running.Keys)
        {
            try
            {
                process._process.Kill(entireProcessTree: true);
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

        // WaitForExitAsync returns once the output streams are drained too, so Output is complete.
        return _process.ExitCode;
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Sends SIGTERM and waits for the process to exit within <paramref name="limit"/>; returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan limit)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
                ?? throw new InvalidOperationException("Could not run kill.");
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(limit);
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
        while (_output.Count > _keptLines)
        {
            _output.TryDequeue(out _);
        }

        _onLine?.Invoke(line);
    }
}
