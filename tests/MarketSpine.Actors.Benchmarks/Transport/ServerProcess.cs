using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;

namespace MarketSpine.Actors.Benchmarks.Transport;

/// <summary>
/// A second process of this benchmark running <see cref="TransportServer"/>, so calls cross a real
/// process boundary. Started the way this process was: <c>dotnet &lt;dll&gt;</c>, or the app host that
/// <c>dotnet run</c> uses. Disposing kills it.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    // The child's start-up includes JIT on a machine that may be busy with builds.
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private ServerProcess(Process process, IPEndPoint endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ServerProcess> StartAsync()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add("transport-server");
        start.ArgumentList.Add("0");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        try
        {
            using var limit = new CancellationTokenSource(StartLimit);
            var ready = await process.StandardOutput.ReadLineAsync(limit.Token);
            if (ready is null || !ready.StartsWith(TransportServer.ReadyPrefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The server process did not report its port; it said: {ready ?? "(nothing)"}");
            }

            var port = int.Parse(ready.AsSpan(TransportServer.ReadyPrefix.Length), CultureInfo.InvariantCulture);
            return new ServerProcess(process, new IPEndPoint(IPAddress.Loopback, port));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}
