using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using MarketSpine.Benchmarks.RunWeek;
using MarketSpine.Domains.Otc.Calendar;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Normalization;
using MarketSpine.Domains.Otc.Parsing;
using MarketSpine.Domains.Otc.Persistence;
using MarketSpine.Domains.Otc.Synthetic;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Postgres;

namespace MarketSpine.Benchmarks.PgLoad;

/// <summary>
/// <c>pg-load [rows] [--iterations N]</c>: our bulk load of a synthetic week (default 250,000
/// rows) into PostgreSQL against psql's <c>\copy</c> of the same rows into the same table, and
/// <c>run_week</c> on PostgreSQL for context. Run under scripts/with-postgres.sh.
/// </summary>
/// <remarks>
/// psql's CSV is written by the production load itself (<see cref="CsvDivertingDatabase"/>), so
/// both sides load the same values into the same columns; the warm-up checks that the two tables
/// end up identical. Each load starts from a truncated table after a checkpoint; psql and our
/// paths alternate, first in turn, so neither a change of machine load nor the order favours
/// one (in a fixed order, the load always run right after psql's came out about 300 ms slower
/// than the same rows loaded later). psql's time is its own <c>\timing</c> of the COPY (its
/// process start and connect are shown apart); ours runs from taking a pooled connection to the
/// commit, the capture row's insert included.
/// </remarks>
public static class PgLoadBenchmark
{
    private const string PsqlCopy = "psql \\copy (COPY as \\timing reports it)";
    private const string PsqlProcess = "psql \\copy (whole psql process)";
    private const string RunWeek = "ingest, normalize, summarize (one pipeline run)";

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = 250_000;
        var iterations = 5;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--iterations" && i + 1 < args.Length)
            {
                iterations = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                rows = int.Parse(args[i], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            }
        }

        var directory = Path.Combine(Path.GetTempPath(), $"spine-bench-pg-load-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        try
        {
            await RunAsync(directory, rows, iterations);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    private static async Task RunAsync(string directory, int rowCount, int iterations)
    {
        var week = SyntheticWeekGenerator.Generate(20251215, rowCount, SyntheticWeekGenerator.Otc, new DateOnly(2025, 12, 15));
        var file = week.WriteToDirectory(directory);
        var capture = CaptureOf(week, file);
        var accepted = Accepted(week.Rows);

        await using var scratch = await ScratchDatabase.CreateAsync();
        await using var database = new PostgresSpineDatabase(scratch.ConnectionString);
        await new MigrationRunner(database).ApplyAsync(CancellationToken.None);
        var store = new OtcStore(database);
        var psql = Psql.For(scratch.ConnectionString);

        Console.WriteLine($"{Environment.ProcessorCount} cores ({CpuModel()}), load average {LoadAverage()}, .NET {Environment.Version}");
        Console.WriteLine($"PostgreSQL {await scratch.QueryTextAsync("SHOW server_version")}, psql {psql.Executable}");
        Console.WriteLine($"{rowCount:N0}-row synthetic OTC week, {iterations} timed iterations after 1 warm-up");

        LoadTarget[] targets =
        [
            new("otc_raw", week.Rows.Count,
            [
                new("ours, rows parsed from the file (as ingest)", true, s => LoadRawAsync(s, capture, new FinraWeeklyFileSource(file).Read())),
                new("ours, rows from memory", true, s => LoadRawAsync(s, capture, week.Rows)),
            ]),
            new("otc_venue_volume", accepted.Count,
            [
                new("ours, normalized rows from memory", false, s => LoadVenueVolumesAsync(s, capture, accepted)),
            ]),
        ];

        var csvFiles = new Dictionary<LoadTarget, (string File, IReadOnlyList<string> Columns)>();
        foreach (var target in targets)
        {
            var csv = Path.Combine(directory, target.Table + ".csv");
            var diverting = new CsvDivertingDatabase(database, target.Table, csv);
            await ResetAsync(scratch, store, capture, withCapture: !target.Paths[0].InsertsCapture);
            await target.Paths[0].LoadAsync(new OtcStore(diverting));
            var columns = diverting.Columns ?? throw new InvalidOperationException($"The load wrote nothing to {target.Table}.");
            csvFiles[target] = (csv, columns.Select(c => c.Name).ToList());
            Console.WriteLine($"{target.Table}: {target.Rows:N0} rows, {new FileInfo(csv).Length / 1e6:F1} MB as CSV, columns {string.Join(", ", csvFiles[target].Columns)}");
        }

        var times = new Dictionary<string, List<(double Ms, double CpuMs)>>(StringComparer.Ordinal);
        for (var i = 0; i <= iterations; i++)
        {
            foreach (var target in targets)
            {
                // psql (-1) then our paths, rotated each iteration: no side always runs first.
                var order = Enumerable.Range(-1, target.Paths.Count + 1).ToList();
                var shift = i % order.Count;
                string? expected = null;
                foreach (var run in order.Skip(shift).Concat(order.Take(shift)))
                {
                    if (run < 0)
                    {
                        var (csv, columns) = csvFiles[target];
                        await ResetAsync(scratch, store, capture, withCapture: true);
                        var (copyMs, processMs, psqlCpuMs) = await psql.CopyCsvAsync(target.Table, columns, csv);
                        expected = i == 0 ? await ContentsAsync(scratch, target.Table) : null;
                        Record(i, $"{target.Table}|{PsqlCopy}", copyMs, psqlCpuMs);
                        Record(i, $"{target.Table}|{PsqlProcess}", processMs, psqlCpuMs);
                        continue;
                    }

                    var path = target.Paths[run];
                    await ResetAsync(scratch, store, capture, withCapture: !path.InsertsCapture);
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    await path.LoadAsync(store);
                    Record(i, $"{target.Table}|{path.Name}", clock.Elapsed.TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
                    // The warm-up runs psql first, so its rows are there to compare with.
                    if (expected is not null && await ContentsAsync(scratch, target.Table) != expected)
                    {
                        throw new InvalidOperationException($"{target.Table}: '{path.Name}' stored other rows than psql's \\copy did.");
                    }
                }
            }
        }

        await using (var host = new RunWeekHost(database))
        {
            for (var i = 0; i <= iterations; i++)
            {
                await ResetAsync(scratch, store, capture, withCapture: false);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                await host.RunWeekAsync(file);
                Record(i, $"run_week|{RunWeek}", clock.Elapsed.TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
            }
        }

        Console.WriteLine($"load average after: {LoadAverage()}");
        Console.WriteLine();
        // Client CPU is the loading process's (psql's, or this one's), not the server's.
        Console.WriteLine($"{"table",-17} {"path",-45} {"median ms",10} {"best ms",9} {"rows/s",11} {"÷ psql",7} {"client CPU ms",14}");
        foreach (var (table, rows, names) in targets.Select(t => (t.Table, t.Rows, new[] { PsqlCopy, PsqlProcess }.Concat(t.Paths.Select(p => p.Name))))
                     .Append(("run_week", rowCount, [RunWeek])))
        {
            foreach (var name in names)
            {
                var values = times[$"{table}|{name}"];
                var median = Median(values.Select(v => v.Ms));
                // Ours against the COPY's own time, psql's start and connect left out.
                var ratio = name == PsqlCopy || name == PsqlProcess || table == "run_week"
                    ? ""
                    : (median / Median(times[$"{table}|{PsqlCopy}"].Select(v => v.Ms))).ToString("F2", CultureInfo.InvariantCulture);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{table,-17} {name,-45} {median,10:F1} {values.Min(v => v.Ms),9:F1} {rows / (median / 1000),11:N0} {ratio,7} {Median(values.Select(v => v.CpuMs)),14:F0}"));
            }
        }

        void Record(int iteration, string key, double ms, double cpuMs)
        {
            if (iteration > 0)
            {
                (times.TryGetValue(key, out var list) ? list : times[key] = []).Add((ms, cpuMs));
            }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The capture the ingest stage would make of the file.</summary>
    private static Capture CaptureOf(SyntheticWeek week, string file)
    {
        var (weekEnding, weekSource) = WeekCalendar.Resolve(null, week.LastUpdateDate, OtcTier.Otc, file);
        // Whole seconds: the same instant whether sent in binary (microseconds) or as CSV text.
        var capturedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        return new Capture(CaptureId.Of(OtcTier.Otc, weekEnding, week.LastUpdateDate), weekEnding, OtcTier.Otc, week.LastUpdateDate, capturedAt,
            file, sha256, weekSource, week.Rows.Count, null, null, null, null, null);
    }

    private static List<VenueVolume> Accepted(IReadOnlyList<FinraWeeklyRow> rows)
    {
        var normalizer = new Normalizer(OtcTier.Otc, inputSortedByKey: true);
        var accepted = new List<VenueVolume>(rows.Count);
        foreach (var row in rows)
        {
            if (normalizer.Normalize(row, out _) is { } volume)
            {
                accepted.Add(volume);
            }
        }

        return accepted;
    }

    /// <summary>The ingest stage's raw load: the capture row, then its rows through binary COPY.</summary>
    private static async Task LoadRawAsync(OtcStore store, Capture capture, IEnumerable<FinraWeeklyRow> rows)
    {
        await using var session = await store.BeginWriteAsync(CancellationToken.None);
        await session.InsertCaptureAsync(capture, rows, replace: false, onRows: null, CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
    }

    /// <summary>The normalize stage's write: accepted rows through binary COPY, then the capture marked normalized.</summary>
    private static async Task LoadVenueVolumesAsync(OtcStore store, Capture capture, IReadOnlyList<VenueVolume> rows)
    {
        await using var session = await store.BeginWriteAsync(CancellationToken.None);
        await using (var writer = await session.BeginNormalizedAsync(capture, CancellationToken.None))
        {
            foreach (var row in rows)
            {
                await writer.AddAsync(row, CancellationToken.None);
            }

            await writer.CompleteAsync(capture.CapturedAt, CancellationToken.None);
        }

        await session.CommitAsync(CancellationToken.None);
    }

    /// <summary>Empty OTC tables (every one references otc_captures), a checkpoint so no load pays for the last one's pages, and the capture row if asked.</summary>
    private static async Task ResetAsync(ScratchDatabase scratch, OtcStore store, Capture capture, bool withCapture)
    {
        await scratch.ExecuteAsync("TRUNCATE otc_captures CASCADE", "CHECKPOINT");
        if (withCapture)
        {
            await LoadRawAsync(store, capture, []);
        }
    }

    /// <summary>A digest of a table's rows in a fixed order, to show two loads stored the same.</summary>
    private static Task<string> ContentsAsync(ScratchDatabase scratch, string table) =>
        scratch.QueryTextAsync($"SELECT count(*) || ':' || md5(string_agg(t::text, E'\\n' ORDER BY t::text)) FROM {table} t");

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "?";
}
