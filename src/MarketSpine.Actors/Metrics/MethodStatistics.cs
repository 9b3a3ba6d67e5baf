using System.Runtime.InteropServices;

namespace MarketSpine.Actors.Metrics;

/// <summary>
/// Running totals of one grain method in this silo, kept beside the meter so that
/// <c>GetStatistics()</c> can answer without a metrics pipeline. The totals are striped per
/// processor, each stripe on its own cache line: a hot method is called from every core at once,
/// and one shared set of counters made the cores fight over a single cache line on every call
/// (measured with the benchmark in tests/MarketSpine.Actors.Benchmarks). Snapshots add the stripes up.
/// </summary>
internal sealed class MethodStatistics(string grainType, string method)
{
    private readonly Stripe[] _stripes = new Stripe[Environment.ProcessorCount];

    public void Record(string outcome, TimeSpan elapsed)
    {
        ref var stripe = ref _stripes[Thread.GetCurrentProcessorId() % _stripes.Length];
        Interlocked.Increment(ref stripe.Calls);
        if (outcome == "error")
        {
            Interlocked.Increment(ref stripe.Failures);
        }
        else if (outcome == "timeout")
        {
            Interlocked.Increment(ref stripe.Timeouts);
        }

        Interlocked.Add(ref stripe.TotalTicks, elapsed.Ticks);
        var max = Volatile.Read(ref stripe.MaxTicks);
        while (elapsed.Ticks > max)
        {
            var seen = Interlocked.CompareExchange(ref stripe.MaxTicks, elapsed.Ticks, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public MethodCallStatistics Snapshot()
    {
        long calls = 0, failures = 0, timeouts = 0, total = 0, max = 0;
        for (var i = 0; i < _stripes.Length; i++)
        {
            ref var stripe = ref _stripes[i];
            calls += Volatile.Read(ref stripe.Calls);
            failures += Volatile.Read(ref stripe.Failures);
            timeouts += Volatile.Read(ref stripe.Timeouts);
            total += Volatile.Read(ref stripe.TotalTicks);
            max = Math.Max(max, Volatile.Read(ref stripe.MaxTicks));
        }

        return new MethodCallStatistics(
            grainType, method, calls, failures, timeouts,
            calls == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(total / calls), TimeSpan.FromTicks(max));
    }

    /// <summary>One processor's totals, padded to a 128-byte slot (two cache lines, for adjacent-line prefetch).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Stripe
    {
        [FieldOffset(0)]
        public long Calls;

        [FieldOffset(8)]
        public long Failures;

        [FieldOffset(16)]
        public long Timeouts;

        [FieldOffset(24)]
        public long TotalTicks;

        [FieldOffset(32)]
        public long MaxTicks;
    }
}
