namespace MarketSpine.Benchmarks.Parsing;

/// <summary>Where benchmark inputs are: the real FINRA sample beside the repository, if this clone has it.</summary>
public static class BenchmarkData
{
    public const string RealFinraFileName = "finra_otc_weekly_otc_20251215.csv";

    /// <summary>Data rows in <see cref="RealFinraFileName"/>; the benchmark checks it, as it divides by it.</summary>
    public const int RealFinraFileRows = 5_328;

    /// <summary>
    /// <c>../shared/data/finra/finra_otc_weekly_otc_20251215.csv</c> from the directory holding
    /// MarketSpine.sln (found by walking up from the binaries, which BenchmarkDotNet runs from a
    /// generated folder under bin/), or null when it is absent.
    /// </summary>
    public static string? RealFinraFile
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MarketSpine.sln")))
                {
                    var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "finra", RealFinraFileName));
                    return File.Exists(path) ? path : null;
                }
            }

            return null;
        }
    }
}
