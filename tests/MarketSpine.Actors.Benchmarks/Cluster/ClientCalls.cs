using System.Diagnostics;
using MarketSpine.Actors.SampleGrains;

namespace MarketSpine.Actors.Benchmarks.Cluster;

/// <summary>
/// Closed-loop calls from the client to echo grains: each caller calls a pseudo-random grain,
/// awaits and checks the answer, and calls again, until the time is up. The client sends each call
/// to a gateway silo picked at random, so with two silos about half the calls reach the grain's
/// silo directly and half take a second hop from the gateway to it.
/// </summary>
public static class ClientCalls
{
    public static async Task<(long Calls, TimeSpan Elapsed)> MeasureAsync(IEchoGrain[] grains, int callers, TimeSpan duration)
    {
        var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var random = new Random(caller);
            long calls = 0;
            while (Stopwatch.GetTimestamp() < stop)
            {
                var value = random.Next();
                if (await grains[random.Next(grains.Length)].EchoAsync(value) != value)
                {
                    throw new InvalidOperationException("An echo grain answered another value.");
                }

                calls++;
            }

            return calls;
        })));
        return (counts.Sum(), Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Calls every grain <paramref name="rounds"/> times, <paramref name="callers"/> calls at a time.</summary>
    public static async Task CallEachAsync(IEchoGrain[] grains, int rounds, int callers)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < grains.Length * rounds)
            {
                await grains[index % grains.Length].EchoAsync(index);
            }
        })));
    }
}
