using System.Diagnostics;
using MarketSpine.Actors.SampleGrains;
using MarketSpine.Actors.Testing;

namespace MarketSpine.Actors.Benchmarks.Cluster;

/// <summary>
/// New activations: concurrent callers each call echo grains that were never called before, one
/// after another, until the time is up. Every call activates its grain on the gateway silo it
/// reached and registers it in the PostgreSQL directory before answering, so calls per second
/// are activations (with their directory registrations) per second.
/// </summary>
public static class Activations
{
    public static async Task<(long Activations, TimeSpan Elapsed)> MeasureAsync(SiloProcessCluster cluster, string keyPrefix, int callers, TimeSpan duration)
    {
        var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            long calls = 0;
            while (Stopwatch.GetTimestamp() < stop)
            {
                await cluster.Client.GetGrain<IEchoGrain>($"{keyPrefix}{caller}-{calls}").EchoAsync(caller);
                calls++;
            }

            return calls;
        })));
        return (counts.Sum(), Stopwatch.GetElapsedTime(started));
    }
}
