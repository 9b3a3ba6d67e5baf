using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Grains.Benchmarks;

// Executions on one silo against PostgreSQL (the issue's figures: no-op executions, submit to
// completed with every event stored, >= 1,000/s; submit to running p50 <= 10 ms, p99 <= 50 ms).
//   bash scripts/with-postgres.sh dotnet run --project tests/MarketSpine.Grains.Benchmarks -c Release -- throughput [count] [--cluster]
//   bash scripts/with-postgres.sh dotnet run --project tests/MarketSpine.Grains.Benchmarks -c Release -- latency [per-second] [seconds] [--cluster]
var cluster = args.Contains("--cluster");
var numbers = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
switch (args.FirstOrDefault())
{
    case "throughput":
        await ThroughputAsync(numbers.ElementAtOrDefault(0) is > 0 and var count ? count : 5_000, cluster);
        return 0;
    case "latency":
        await LatencyAsync(numbers.ElementAtOrDefault(0) is > 0 and var rate ? rate : 200, numbers.ElementAtOrDefault(1) is > 0 and var seconds ? seconds : 10, cluster);
        return 0;
    default:
        Console.Error.WriteLine("usage: throughput [count] [--cluster] | latency [per-second] [seconds] [--cluster]");
        return 2;
}

static async Task ThroughputAsync(int count, bool cluster)
{
    await using var host = await BenchHost.StartAsync(cluster);
    var warmedUp = await WarmUpAsync(host);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var (submitted, elapsed) = await RunAsync(host, count);
    var cpuPerExecution = (Process.GetCurrentProcess().TotalProcessorTime - cpu) / count;
    await using var events = host.DataSource.CreateCommand("SELECT count(*) FROM execution_events WHERE event_type IN ('created','queued','started','completed')");
    var stored = (long)(await events.ExecuteScalarAsync())!;
    Console.WriteLine($"no-op executions ({(cluster ? "clustered silo" : "single-node silo")}, PostgreSQL): {count:N0} submitted in {submitted.TotalSeconds:F2} s, "
                      + $"all completed in {elapsed.TotalSeconds:F2} s = {count / elapsed.TotalSeconds:N0} executions/s; lifecycle events stored: {stored:N0} "
                      + $"(expected {(count + warmedUp) * 4L:N0}, warm-up's included); silo CPU {cpuPerExecution.TotalMilliseconds:F2} ms per execution");
}

// Submits count no-op executions from 64 submitters, then waits until every one has completed.
static async Task<(TimeSpan Submitted, TimeSpan Completed)> RunAsync(BenchHost host, int count)
{
    var ids = new string[count];
    var watch = Stopwatch.StartNew();
    await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, token) =>
        ids[i] = (await host.Dispatcher.SubmitAsync(new SubmitRequest(NoopPipeline.Name, new Dictionary<string, string?>()), token)).ExecutionId);
    var submitted = watch.Elapsed;
    await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (id, token) =>
    {
        var record = await host.Dispatcher.WaitAsync(id, TimeSpan.FromMinutes(2), token);
        if (record.Status != ExecutionStatus.Completed)
        {
            throw new InvalidOperationException($"{id} ended {record.Status}: {record.Error?.Message}");
        }
    });
    return (submitted, watch.Elapsed);
}

static async Task LatencyAsync(int perSecond, int seconds, bool cluster)
{
    await using var host = await BenchHost.StartAsync(cluster);
    await WarmUpAsync(host);
    var total = perSecond * seconds;
    var submittedAt = new long[total];
    var ids = new string[total];
    var interval = Stopwatch.Frequency / (double)perSecond;
    var start = Stopwatch.GetTimestamp();
    var sends = new List<Task>(total);
    for (var i = 0; i < total; i++)
    {
        // Open loop: each submission leaves at its planned time, and latency counts from then, so a
        // slow answer cannot hide the queueing behind it (no coordinated omission).
        var planned = start + (long)(i * interval);
        while (Stopwatch.GetTimestamp() < planned)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), planned);
            if (wait > TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(wait - TimeSpan.FromMilliseconds(1));
            }
        }

        var index = i;
        submittedAt[index] = planned;
        sends.Add(Task.Run(async () => ids[index] = (await host.Dispatcher.SubmitAsync(new SubmitRequest(NoopPipeline.Name, new Dictionary<string, string?>()), CancellationToken.None)).ExecutionId));
    }

    await Task.WhenAll(sends);
    foreach (var id in ids)
    {
        await host.Dispatcher.WaitAsync(id, TimeSpan.FromMinutes(1), CancellationToken.None);
    }

    var latencies = Enumerable.Range(0, total).Select(i => Stopwatch.GetElapsedTime(submittedAt[i], NoopPipeline.StartedAt[ids[i]])).Order().ToArray();
    TimeSpan At(double p) => latencies[Math.Min(latencies.Length - 1, (int)(p / 100 * latencies.Length))];
    Console.WriteLine($"submit to running ({(cluster ? "clustered silo" : "single-node silo")}, PostgreSQL), {perSecond}/s for {seconds} s: "
                      + $"p50 {At(50).TotalMilliseconds:F1} ms, p90 {At(90).TotalMilliseconds:F1} ms, p99 {At(99).TotalMilliseconds:F1} ms, max {latencies[^1].TotalMilliseconds:F1} ms");
}

// Runs rounds of 2,000 executions, as RunAsync runs them, until a round compiles fewer than 50
// methods (at most 10 rounds); returns how many executions that took. The figures are a running
// silo's, not a starting one's: the JIT promotes hot code to optimized code only after counting its
// calls, and with 20 warm-up executions a run of 5,000 spent 14 % of its CPU samples in the JIT and
// ran most of its code unoptimized (perf); after a fixed 2,000 and a pause, the run still compiled
// 856 methods. It settles after about 16,000 executions.
static async Task<int> WarmUpAsync(BenchHost host)
{
    const int Round = 2_000;
    for (var rounds = 1; ; rounds++)
    {
        var compiled = JitInfo.GetCompiledMethodCount();
        await RunAsync(host, Round);
        if (JitInfo.GetCompiledMethodCount() - compiled < 50 || rounds == 10)
        {
            return rounds * Round;
        }
    }
}
