using System.Diagnostics;

namespace MarketSpine.Actors.Benchmarks.Transport;

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
}
