using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace MarketSpine.Benchmarks.Parsing;

/// <summary>The <c>parse</c> subcommand: runs the parser benchmarks, the real-file one only when the file is there.</summary>
internal static class ParseBenchmarksCommand
{
    public static int Run(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(RowsPerSecondColumn.Instance);

        var suites = new List<Type> { typeof(SyntheticWeekParseBenchmarks) };
        if (BenchmarkData.RealFinraFile is not null)
        {
            suites.Add(typeof(RealFileParseBenchmarks));
        }
        else
        {
            Console.WriteLine($"Skipping the real-file benchmark: {BenchmarkData.RealFinraFileName} not found in ../shared/data/finra beside the repository.");
        }

        var summaries = BenchmarkRunner.Run([.. suites], config, args);
        var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
    }
}
