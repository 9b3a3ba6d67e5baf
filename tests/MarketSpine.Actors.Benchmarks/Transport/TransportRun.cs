using System.Diagnostics;
using System.Net;
using MarketSpine.Actors.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSpine.Actors.Benchmarks.Transport;

/// <summary>
/// The <c>transport</c> subcommand: calls across processes on loopback through
/// <see cref="TcpMessageTransport"/>, to a second process of this benchmark serving an echo of a
/// ~100-byte payload over one connection. (a) Calls per second with many concurrent senders, with
/// the CPU time per call of each process; (b) latency percentiles at a paced 10,000 calls/s.
/// Both processes share this machine's cores.
/// </summary>
public static class TransportRun
{
    private const int PacedRate = 10_000;

    public static async Task RunAsync(TimeSpan duration)
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores shared by client and server processes, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, {duration.TotalSeconds:0} s per row");
        var payload = new byte[100];
        new Random(7).NextBytes(payload);
        using var server = await ServerProcess.StartAsync();
        await using var client = new TcpMessageTransport(new TcpTransportOptions(), NullLogger<TcpMessageTransport>.Instance);
        await client.SendAsync(server.Endpoint, payload, CancellationToken.None);

        foreach (var senders in new[] { 16, 256, 1024 })
        {
            await MeasureThroughputAsync(client, server.Endpoint, payload, senders, TimeSpan.FromSeconds(1));
            var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var serverCpu = server.CpuTime;
            var (calls, elapsed) = await MeasureThroughputAsync(client, server.Endpoint, payload, senders, duration);
            var clientNs = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalNanoseconds / calls;
            var serverNs = (server.CpuTime - serverCpu).TotalNanoseconds / calls;
            Console.WriteLine(
                $"senders {senders,5}: {calls / elapsed.TotalSeconds,10:N0} calls/s; CPU per call {clientNs,6:N0} ns client + {serverNs,6:N0} ns server "
                + $"(= {Environment.ProcessorCount * 1e9 / (clientNs + serverNs),10:N0} calls/s on {Environment.ProcessorCount} idle cores)");
        }

        await PacedRun.RunAsync(_ => client.SendAsync(server.Endpoint, payload, CancellationToken.None), PacedRate, TimeSpan.FromSeconds(1));
        var (latency, maxLag, errors) = await PacedRun.RunAsync(_ => client.SendAsync(server.Endpoint, payload, CancellationToken.None), PacedRate, duration);
        Console.WriteLine(
            $"paced {PacedRate:N0} calls/s: {latency}; pacer at most {maxLag.TotalMilliseconds:0.000} ms late; {errors} errors");
    }

    private static async Task<(long Calls, TimeSpan Elapsed)> MeasureThroughputAsync(
        TcpMessageTransport client, IPEndPoint server, byte[] payload, int senders, TimeSpan duration)
    {
        var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            long calls = 0;
            while (Stopwatch.GetTimestamp() < stop)
            {
                var response = await client.SendAsync(server, payload, CancellationToken.None);
                if (response.Length != payload.Length)
                {
                    throw new InvalidOperationException("The echo came back with another length.");
                }

                calls++;
            }

            return calls;
        })));
        return (counts.Sum(), Stopwatch.GetElapsedTime(started));
    }
}
