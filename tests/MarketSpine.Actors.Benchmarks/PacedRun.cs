using System.Diagnostics;

namespace MarketSpine.Actors.Benchmarks;

/// <summary>
/// Makes calls at a fixed rate from one pacing thread, each at its own due time, whether or not
/// earlier ones were answered (an open-loop load, as independent clients make). A call's latency
/// runs from its due time, not from when the pacer got to it, so a stalled pacer or callee
/// shows in the figures instead of hiding in a lower send rate.
/// </summary>
public static class PacedRun
{
    // Farther than this from the next due time the pacer sleeps; closer, it yields, which leaves the
    // core to the callee's threads and processes but stays precise to a few microseconds.
    private static readonly long SleepAbove = Stopwatch.Frequency / 500;

    /// <summary>Runs <paramref name="call"/> (given the call's index) <paramref name="ratePerSecond"/> times a second for <paramref name="duration"/>.</summary>
    public static async Task<(Percentiles Latency, TimeSpan MaxPacerLag, int Errors)> RunAsync(
        Func<int, Task> call, int ratePerSecond, TimeSpan duration)
    {
        var count = Math.Max(1, (int)(ratePerSecond * duration.TotalSeconds));
        var latencies = new long[count];
        var errors = 0;
        long maxLag = 0;

        // Completions are counted rather than the calls' tasks kept: a hundred thousand finished
        // tasks held to the end would survive into older GC generations and make the pauses measured.
        var outstanding = count;
        var allAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task CallAsync(int index, long due)
        {
            try
            {
                await call(index);
            }
#pragma warning disable CA1031 // Whatever a call fails with, it counts as an error and still has a latency.
            catch (Exception)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref errors);
            }

            latencies[index] = Stopwatch.GetTimestamp() - due;
            if (Interlocked.Decrement(ref outstanding) == 0)
            {
                allAnswered.SetResult();
            }
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
                _ = CallAsync(i, due);
            }
        })
        { IsBackground = true, Name = "pacer" };
        pacer.Start();
        await Task.Run(pacer.Join);
        await allAnswered.Task;
        return (new Percentiles(latencies), Stopwatch.GetElapsedTime(0, maxLag), errors);
    }
}
