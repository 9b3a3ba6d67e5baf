using System.Diagnostics;

namespace MarketSpine.Actors.Benchmarks;

/// <summary>
/// Calls per second across 10,000 activated grains from many concurrent callers, each caller
/// keeping a window of calls in flight to pseudo-random grains (what a silo sees under load:
/// many independent requests at once). Runs each configuration for a fixed time and prints
/// calls/s. Every call is awaited and checked, so the figure counts answered calls only.
/// It also prints the process's CPU time per call: on a machine shared with other work (builds of
/// other engineers) wall-clock calls/s swings with their load, while CPU per call does much less,
/// and "cores ÷ CPU per call" is the rate the machine would reach with its cores to itself.
/// </summary>
public static class ThroughputRun
{
    public static async Task RunAsync(TimeSpan duration)
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, {duration.TotalSeconds:0} s per row");
        ProxyOverhead.Run();
        await using var silo = await BenchSilo.StartAsync(10_000);
        foreach (var (callers, window) in new[] { (64, 1), (256, 1), (16, 32), (64, 16), (8, 256) })
        {
            // A short warm-up of the same shape, then the measured run.
            await MeasureAsync(silo.Grains, callers, window, TimeSpan.FromSeconds(1));
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var (calls, elapsed) = await MeasureAsync(silo.Grains, callers, window, duration);
            var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalNanoseconds / calls;
            Console.WriteLine(
                $"callers {callers,4} × window {window,3}: {calls / elapsed.TotalSeconds,12:N0} calls/s, {cpuPerCall,6:N0} ns CPU per call "
                + $"(= {Environment.ProcessorCount * 1e9 / cpuPerCall,12:N0} calls/s on {Environment.ProcessorCount} idle cores)");
        }

        // Argument copying: the same window of calls with a small mutable argument (copied through
        // JSON) and with an immutable record (passed by reference).
        var order = new Order { Symbol = "ACME", Lines = ["buy 100", "sell 50"] };
        var trade = new Trade("ACME", 12.5m, 100, DateTimeOffset.UnixEpoch);
        foreach (var (name, call) in new (string, Func<IBenchGrain, Task<int>>)[] { ("mutable argument (copied)", g => g.CountLines(order)), ("immutable argument (shared)", g => g.CountLegs(trade)) })
        {
            await MeasureAsync(silo.Grains, 16, 32, TimeSpan.FromSeconds(1), call);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var (calls, elapsed) = await MeasureAsync(silo.Grains, 16, 32, duration, call);
            var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalNanoseconds / calls;
            Console.WriteLine($"{name,-28}: {calls / elapsed.TotalSeconds,12:N0} calls/s, {cpuPerCall,6:N0} ns CPU per call");
        }

        var statistics = silo.Silo.GetStatistics();
        Console.WriteLine($"activations {statistics.Activations:N0}; errors {statistics.ErrorsByKind.Values.Sum()}");
    }

    private static async Task<(long Calls, TimeSpan Elapsed)> MeasureAsync(
        IBenchGrain[] grains, int callers, int window, TimeSpan duration, Func<IBenchGrain, Task<int>>? call = null)
    {
        call ??= static grain => grain.Add(1);
        var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var random = new Random(caller);
            var pending = new Task<int>[window];
            long calls = 0;
            while (Stopwatch.GetTimestamp() < stop)
            {
                for (var i = 0; i < window; i++)
                {
                    pending[i] = call(grains[random.Next(grains.Length)]);
                }

                for (var i = 0; i < window; i++)
                {
                    if (await pending[i] <= 0)
                    {
                        throw new InvalidOperationException("A grain answered a wrong count.");
                    }
                }

                calls += window;
            }

            return calls;
        })));
        return (counts.Sum(), Stopwatch.GetElapsedTime(started));
    }
}
