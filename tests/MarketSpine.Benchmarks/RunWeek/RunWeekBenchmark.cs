using System.Diagnostics;
using System.Globalization;
using MarketSpine.Domains.Otc.Synthetic;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Sqlite;

namespace MarketSpine.Benchmarks.RunWeek;

/// <summary>
/// <c>run-week [rows...] [--iterations N] [--exact-memory]</c>: finra.otc_transparency.run_week end to end on a
/// fresh SQLite database per iteration, run as an execution attempt runs it (RunWeekHost), on synthetic
/// weeks of the given sizes (default 250,000 and 1,000,000 rows). Prints wall time, rows/s, and
/// the largest managed heap left by a collection during the run (live data): a streaming run
/// keeps it flat as rows grow. The process's peak working set (SQLite's native page cache included)
/// is printed after each size: it must not climb with the rows either.
/// A whole-process loop over many iterations, so BenchmarkDotNet's statistics would add little.
/// </summary>
public static class RunWeekBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = new List<int>();
        var iterations = 3;
        var exactMemory = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--exact-memory")
            {
                exactMemory = true;
            }
            else if (args[i] == "--iterations" && i + 1 < args.Length)
            {
                iterations = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                sizes.Add(int.Parse(args[i], NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
            }
        }

        if (sizes.Count == 0)
        {
            sizes = [250_000, 1_000_000];
        }

        var directory = Path.Combine(Path.GetTempPath(), "spine-bench-run-week");
        Directory.CreateDirectory(directory);
        Console.WriteLine($"run_week on SQLite, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {iterations} timed iterations after 1 warm-up");
        Console.WriteLine($"{"rows",10} {"best s",8} {"median s",9} {"rows/s",11} {"live heap MB",13} {"allocated MB",13} {"peak RSS MB",12}");
        foreach (var rows in sizes)
        {
            var file = SyntheticFile(directory, rows);
            var results = new List<(double Seconds, long PeakHeap, long Allocated)>();
            for (var i = 0; i <= iterations; i++)
            {
                var result = await RunOnceAsync(directory, file, exactMemory);
                if (i > 0)
                {
                    results.Add(result);
                }
            }

            var seconds = results.Select(r => r.Seconds).Order().ToList();
            var median = seconds[seconds.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{rows,10:N0} {seconds[0],8:F2} {median,9:F2} {rows / median,11:N0} {results.Max(r => r.PeakHeap) / 1e6,13:F1} {results.Max(r => r.Allocated) / 1e6,13:F0} {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6,12:F0}"));
        }

        return 0;
    }

    private static string SyntheticFile(string directory, int rows)
    {
        var path = Path.Combine(directory, $"synthetic_otc_{rows}.psv");
        if (!File.Exists(path))
        {
            var week = SyntheticWeekGenerator.Generate(20251215, rows, SyntheticWeekGenerator.Otc, new DateOnly(2025, 12, 15));
            using var stream = File.Create(path);
            week.WriteTo(stream);
        }

        return path;
    }

    private static async Task<(double Seconds, long PeakHeap, long Allocated)> RunOnceAsync(string directory, string file, bool exactMemory)
    {
        var database = new SqliteSpineDatabase(Path.Combine(directory, "bench.db"));
        database.Delete();
        await new MigrationRunner(database).ApplyAsync(CancellationToken.None);
        await using var host = new RunWeekHost(database);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                // The heap as the last collection left it: live data, not garbage awaiting a GC.
                // --exact-memory forces a full collection at each sample: exact, but it slows the run.
                var heap = exactMemory ? GC.GetTotalMemory(forceFullCollection: true) : GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes;
                peak = Math.Max(peak, heap);
                await Task.Delay(exactMemory ? 50 : 5, CancellationToken.None);
            }
        }, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        await host.RunWeekAsync(file);
        var seconds = clock.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        database.Delete();
        return (seconds, peak, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
    }
}
