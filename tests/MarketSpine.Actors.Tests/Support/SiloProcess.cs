using System.Collections.Concurrent;
using System.Diagnostics;
using MarketSpine.SiloHost;

namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// A <c>spine-silo</c> process, started as a user starts it: <c>dotnet spine-silo.dll</c> (copied
/// beside the tests by the project reference) with its settings in environment variables. Its output
/// is kept for failure messages. <see cref="Kill"/> is a crash (SIGKILL); <see cref="TerminateAsync"/>
/// is Kubernetes stopping the pod (SIGTERM).
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SiloProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the process has printed so far, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts <c>spine-silo</c> with <paramref name="arguments"/> and <paramref name="environment"/>.</summary>
    public static SiloProcess Start(string name, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "spine-silo.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (variable, value) in environment)
        {
            start.Environment[variable] = value;
        }

        return new SiloProcess(name, Process.Start(start) ?? throw new InvalidOperationException("Could not start spine-silo."));
    }

    /// <summary>The environment of a silo named <paramref name="name"/> on loopback at a free port, hosting the sample grains.</summary>
    public static Dictionary<string, string> SiloEnvironment(string name, string postgres) => new(StringComparer.Ordinal)
    {
        [SiloSettings.NameVariable] = name,
        [SiloSettings.EndpointVariable] = "127.0.0.1:0",
        [SiloSettings.PostgresVariable] = postgres,
        [SiloSettings.GrainAssembliesVariable] = typeof(SampleGrains.AccountGrain).Assembly.Location,
    };

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

    /// <summary>Sends SIGTERM and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan limit)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(limit);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
