using BenchmarkDotNet.Attributes;
using MarketSpine.Domains.Otc.Parsing;
using MarketSpine.Domains.Otc.Synthetic;

namespace MarketSpine.Benchmarks.Parsing;

/// <summary>
/// Parses a 250,000-row synthetic week (a full week of all tiers is about that) from memory,
/// so the figure is the parser's, not the disk's. Target: at least 1.5 million rows/s on one
/// thread. OTC is the hard shape (~2 rows per symbol, so the most string allocations); NMS
/// Tier 1 lists many venues per symbol. Mean and Allocated are per row.
/// </summary>
// One parse of the week takes 30-50 ms, so 3 per iteration keep each iteration above
// BenchmarkDotNet's recommended 100 ms minimum while the whole suite stays near a minute.
[SimpleJob(warmupCount: 2, iterationCount: 5, invocationCount: 3)]
public class SyntheticWeekParseBenchmarks
{
    private const int Rows = 250_000;

    private byte[] _bytes = [];

    [Params(SyntheticWeekGenerator.Otc, SyntheticWeekGenerator.NmsTier1)]
    public string Tier { get; set; } = SyntheticWeekGenerator.Otc;

    [GlobalSetup]
    public void Setup()
    {
        _bytes = SyntheticWeekGenerator.Generate(20_251_215, Rows, Tier, new DateOnly(2025, 12, 15)).ToBytes();
    }

    [Benchmark(OperationsPerInvoke = Rows, Baseline = true)]
    public long ParseEnumerable()
    {
        using var stream = new MemoryStream(_bytes, writable: false);
        var shares = 0L;
        var count = 0;
        foreach (var row in FinraWeeklyParser.Parse(stream, "synthetic"))
        {
            shares += row.ShareQuantity;
            count++;
        }

        return count == Rows ? shares : throw new InvalidOperationException($"Parsed {count} rows, expected {Rows}.");
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public long ReaderTryRead()
    {
        using var stream = new MemoryStream(_bytes, writable: false);
        using var reader = new FinraWeeklyReader(stream, "synthetic");
        var shares = 0L;
        var count = 0;
        while (reader.TryRead(out var row))
        {
            shares += row.ShareQuantity;
            count++;
        }

        return count == Rows ? shares : throw new InvalidOperationException($"Parsed {count} rows, expected {Rows}.");
    }
}
