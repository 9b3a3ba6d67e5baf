using BenchmarkDotNet.Attributes;
using MarketSpine.Domains.Otc.Parsing;

namespace MarketSpine.Benchmarks.Parsing;

/// <summary>Parses FINRA's real 20251215 OTC file (5,328 rows) from memory. Mean and Allocated are per row.</summary>
[SimpleJob(warmupCount: 2, iterationCount: 5)]
public class RealFileParseBenchmarks
{
    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        var path = BenchmarkData.RealFinraFile
            ?? throw new InvalidOperationException($"{BenchmarkData.RealFinraFileName} is missing from ../shared/data/finra.");
        _bytes = File.ReadAllBytes(path);
        if (Parse() is var (count, _) && count != BenchmarkData.RealFinraFileRows)
        {
            throw new InvalidOperationException($"{path} has {count} rows, the benchmark divides by {BenchmarkData.RealFinraFileRows}.");
        }
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.RealFinraFileRows)]
    public long ParseRealFile() => Parse().Shares;

    private (int Count, long Shares) Parse()
    {
        using var stream = new MemoryStream(_bytes, writable: false);
        var shares = 0L;
        var count = 0;
        foreach (var row in FinraWeeklyParser.Parse(stream, BenchmarkData.RealFinraFileName))
        {
            shares += row.ShareQuantity;
            count++;
        }

        return (count, shares);
    }
}
