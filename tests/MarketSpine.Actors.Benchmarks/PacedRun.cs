using System.Diagnostics;
using MarketSpine.Actors.Transport;

namespace MarketSpine.Actors.Benchmarks.Transport;

/// <summary>
/// Sends requests at a fixed rate from one pacing thread, each at its own due time, whether or not
/// earlier ones were answered (an open-loop load, as independent clients make). A call's latency
/// runs from its due time, not from when the pacer got to it, so a stalled pacer or transport
/// shows in the figures instead of hiding in a lower send rate.
/// </summary>
public static class PacedRun
{
    // Farther than this from the next due time the pacer sleeps; closer, it yields, which leaves the
    // core to the transport's threads and the server process but stays precise to a few microseconds.
    private static readonly long SleepAbove = Stopwatch.Frequency / 500;

    public static async Task<(Percentiles Latency, TimeSpan MaxPacerLag, int Errors)> RunAsync(
        IMessageTransport client, System.Net.IPEndPoint server, byte[] payload, int ratePerSecond, TimeSpan duration)
    {
        var count = (int)(ratePerSecond * duration.TotalSeconds);
        var latencies = new long[count];
        var calls = new Task[count];
        var errors = 0;
        long maxLag = 0;

        async Task CallAsync(int index, long due)
        {
            try
            {
                await client.SendAsync(server, payload, CancellationToken.None);
            }
            catch (TransportException)
            {
                Interlocked.Increment(ref errors);
            }

            latencies[index] = Stopwatch.GetTimestamp() - due;
        }

        var pacer = new Thread(() =>
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var due = start + (long)((double)i * Stopwatch.Frequency / ratePerSecond);
                long now;
                while ((now = Stopwatch.GetTimestamp()) < due)
                {
                    if (due - now > SleepAbove)
                    {
                        Thread.Sleep(1);
                    }
                    else
                    {
                        Thread.Yield();
                    }
                }

                maxLag = Math.Max(maxLag, now - due);
                calls[i] = CallAsync(i, due);
            }
        })
        { IsBackground = true, Name = "pacer" };
        pacer.Start();
        await Task.Run(pacer.Join);
        await Task.WhenAll(calls);
        return (new Percentiles(latencies), Stopwatch.GetElapsedTime(0, maxLag), errors);
    }
}
