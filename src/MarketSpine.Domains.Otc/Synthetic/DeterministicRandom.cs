namespace MarketSpine.Domains.Otc.Synthetic;

/// <summary>
/// xoshiro256** seeded through SplitMix64, plus the few distributions the generator needs.
/// Not <see cref="Random"/>: its seeded sequence is an implementation detail .NET may change,
/// and synthetic files must stay byte-identical for a seed across runtimes and machines. For
/// the same reason only IEEE-exact operations (+, -, *, /, sqrt, floor) are used: no Math.Log,
/// Math.Exp or Math.Pow, whose last bits differ between platform math libraries.
/// </summary>
internal sealed class DeterministicRandom
{
    // 10^(1/64): steps of the table behind Pow10.
    private const double Pow10Step = 1.036632928437698;
    private static readonly double[] Pow10Table = BuildPow10Table();

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public DeterministicRandom(long seed)
    {
        var x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>) (Lemire's multiply-shift; the bias is far below anything a test could see).</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>Uniform in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Approximately standard normal (Irwin–Hall: 12 uniforms minus 6), bounded to ±6.</summary>
    public double NextNormal()
    {
        var sum = 0.0;
        for (var i = 0; i < 12; i++)
        {
            sum += NextDouble();
        }

        return sum - 6.0;
    }

    /// <summary>A log-normal value: 10^(mean + sigma·z), with <paramref name="mean"/> and <paramref name="sigma"/> in decades.</summary>
    public double NextLogNormal10(double mean, double sigma) => Pow10(mean + (sigma * NextNormal()));

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>10^x from a table of 10^(k/64) and linear interpolation: accurate to ~0.02 %, exact to the bit everywhere.</summary>
    public static double Pow10(double x)
    {
        var whole = Math.Floor(x);
        var scaled = (x - whole) * 64.0;
        var index = (int)scaled;
        var value = Pow10Table[index] * (1.0 + ((scaled - index) * (Pow10Step - 1.0)));
        for (var i = 0.0; i < whole; i++)
        {
            value *= 10.0;
        }

        for (var i = 0.0; i > whole; i--)
        {
            value /= 10.0;
        }

        return value;
    }

    /// <summary>log10(x) for x &gt; 0 to 1/64 of a decade (the inverse of the <see cref="Pow10"/> table), exact to the bit everywhere.</summary>
    public static double Log10(double x)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(x);
        var whole = 0;
        while (x >= 10.0)
        {
            x /= 10.0;
            whole++;
        }

        while (x < 1.0)
        {
            x *= 10.0;
            whole--;
        }

        var k = Pow10Table.Length - 1;
        while (Pow10Table[k] > x)
        {
            k--;
        }

        return whole + (k / 64.0);
    }

    private static double[] BuildPow10Table()
    {
        var table = new double[64];
        table[0] = 1.0;
        for (var k = 1; k < table.Length; k++)
        {
            table[k] = table[k - 1] * Pow10Step;
        }

        return table;
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong value, int count) => (value << count) | (value >> (64 - count));
}
