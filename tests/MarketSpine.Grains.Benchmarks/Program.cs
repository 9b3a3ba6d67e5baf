using System.Diagnostics;
using System.Globalization;
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
    await WarmUpAsync(host);
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
    var elapsed = watch.Elapsed;
    await using var events = host.DataSource.CreateCommand("SELECT count(*) FROM execution_events WHERE event_type IN ('created','queued','started','completed')");
    var stored = (long)(await events.ExecuteScalarAsync())!;
    Console.WriteLine($"no-op executions ({(cluster ? "clustered silo" : "single-node silo")}, PostgreSQL): {count:N0} submitted in {submitted.TotalSeconds:F2} s, "
                      + $"all completed in {elapsed.TotalSeconds:F2} s = {count / elapsed.TotalSeconds:N0} executions/s; lifecycle events stored: {stored:N0} (expected {count * 4L + 4 * 20:N0})");
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

static async Task WarmUpAsync(BenchHost host)
{
    for (var i = 0; i < 20; i++)
    {
        var record = await host.Dispatcher.SubmitAsync(new SubmitRequest(NoopPipeline.Name, new Dictionary<string, string?>()), CancellationToken.None);
        await host.Dispatcher.WaitAsync(record.ExecutionId, TimeSpan.FromSeconds(30), CancellationToken.None);
    }
}
