using System.Diagnostics;
using MarketSpine.Core.Execution;
using MarketSpine.Grains.Tests.Support;
using MarketSpine.Testing;
using Xunit.Abstractions;

namespace MarketSpine.Grains.Tests.Cluster;

/// <summary>The throughput test: many short executions over few logical keys, on three silos.</summary>
[Collection(OneClusterAtATime.Name)]
public sealed class ManyExecutionsTests(ITestOutputHelper output)
{
    private const int Executions = 10_000;
    private const int Keys = 50;
    private const int PerKey = Executions / Keys;

    /// <summary>
    /// 10,000 executions of a pipeline that notes when it enters and leaves, 200 on each of 50 logical
    /// keys, submitted through the three silos in turn (each key's in order, the keys at once). Never two
    /// run for one key at the same time; each key's run in the order submitted; every execution ends
    /// completed with its four events numbered 1 to 4 in time order; no key stays held.
    /// </summary>
    [PostgresFact]
    public async Task Ten_thousand_executions_over_fifty_keys_on_three_silos_run_one_at_a_time_per_key_in_order()
    {
        await using var cluster = await ExecutionCluster.StartAsync(3, options =>
        {
            options.WatchdogPeriod = TimeSpan.FromSeconds(2);
            options.LaneConcurrency[Lane.Normal] = 16;
        });
        var members = cluster.Members;
        var keys = Enumerable.Range(0, Keys).Select(k => $"many-{k:00}").ToArray();
        var submitted = keys.ToDictionary(key => key, _ => new List<string>(PerKey));
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(keys.Select((key, k) => Task.Run(async () =>
        {
            for (var i = 0; i < PerKey; i++)
            {
                var dispatcher = members[(k + i) % members.Count].Dispatcher;
                var request = new SubmitRequest("test.exclusive", new Dictionary<string, string?> { ["key"] = key }, LogicalKey: key);
                submitted[key].Add((await dispatcher.SubmitAsync(request, CancellationToken.None)).ExecutionId);
            }
        })));
        var submittedIn = clock.Elapsed;

        var backend = cluster.Backend;
        await Eventually.TrueAsync(
            async () => await backend.ScalarAsync("SELECT COUNT(*) FROM executions WHERE status IN ('completed', 'cancelled', 'dead_lettered')") == Executions,
            TimeSpan.FromMinutes(2), $"all {Executions} executions ended");
        var endedIn = clock.Elapsed;
        output.WriteLine($"{Executions} submitted in {submittedIn.TotalSeconds:F1} s, all ended in {endedIn.TotalSeconds:F1} s: {Executions / endedIn.TotalSeconds:F0} executions/s.");

        Assert.Empty(cluster.Probe.Overlaps);
        foreach (var key in keys)
        {
            Assert.Equal(submitted[key], cluster.Probe.StartsOf(key));
        }

        Assert.Equal(Executions, await backend.ScalarAsync("SELECT COUNT(*) FROM executions WHERE status = 'completed' AND attempt = 1 AND event_count = 4"));
        Assert.Equal(0, await backend.ScalarAsync("""
            SELECT COUNT(*) FROM (
              SELECT execution_id
              FROM execution_events
              GROUP BY execution_id
              HAVING string_agg(event_type, ',' ORDER BY seq) <> 'created,queued,started,completed'
                  OR MIN(seq) <> 1 OR MAX(seq) <> 4 OR COUNT(*) <> 4
                  OR array_agg(at ORDER BY seq) <> array_agg(at ORDER BY at, seq)) wrong
            """));
        Assert.Equal(Executions, await backend.ScalarAsync("SELECT COUNT(DISTINCT execution_id) FROM execution_events"));
        // An end is stored before its key is released and its watchdog removed: both follow at once.
        await Eventually.TrueAsync(async () =>
        {
            var views = await Task.WhenAll(keys.Select(key => members[0].Dispatcher.GetLogicalKeyAsync(key, CancellationToken.None)));
            return views.All(view => view.Holder is null && view.Waiters.Count == 0);
        }, TimeSpan.FromSeconds(10), "every key free");
        await Eventually.TrueAsync(async () => await backend.ScalarAsync("SELECT COUNT(*) FROM grain_reminders WHERE grain_type = 'execution'") == 0, TimeSpan.FromSeconds(10), "no watchdog left");
        foreach (var problem in cluster.Logs.Problems.Take(20))
        {
            output.WriteLine(problem);
        }
    }
}
