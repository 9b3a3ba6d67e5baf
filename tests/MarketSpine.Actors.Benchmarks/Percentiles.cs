using System.Diagnostics;

namespace MarketSpine.Actors.Benchmarks;

/// <summary>Latency percentiles of every recorded sample (Stopwatch ticks), read from the sorted samples.</summary>
public sealed class Percentiles
{
    private readonly long[] _sorted;

    public Percentiles(long[] samples)
    {
        _sorted = [.. samples];
        Array.Sort(_sorted);
    }

    public TimeSpan Max => Stopwatch.GetElapsedTime(0, _sorted[^1]);

    /// <summary>The smallest sample that <paramref name="percent"/>% of the samples do not exceed.</summary>
    public TimeSpan At(double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100 * _sorted.Length) - 1;
        return Stopwatch.GetElapsedTime(0, _sorted[Math.Clamp(rank, 0, _sorted.Length - 1)]);
    }

    /// <summary>p50, p90, p99, p99.9 and max, in milliseconds.</summary>
    public override string ToString() =>
        $"p50 {Ms(At(50))}, p90 {Ms(At(90))}, p99 {Ms(At(99))}, p99.9 {Ms(At(99.9))}, max {Ms(Max)}";

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds:0.000} ms";
}
