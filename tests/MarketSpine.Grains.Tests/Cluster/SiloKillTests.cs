using System.Diagnostics;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Grains.Tests.Support;
using MarketSpine.Testing;
using Xunit.Abstractions;

namespace MarketSpine.Grains.Tests.Cluster;

/// <summary>The issue's failure test: a silo dies under running executions.</summary>
[Collection(OneClusterAtATime.Name)]
public sealed class SiloKillTests(ITestOutputHelper output)
{
    private const int Running = 100;

    /// <summary>
    /// 100 executions, each holding a logical key of its own, run on one silo of three (submitted there,
    /// they live and run there), and 100 more wait behind them, one per key, submitted through each
    /// silo in turn (a third of them wait on the doomed silo too). The silo is killed mid-run. Its
    /// executions are found orphaned on the survivors (by their watchdogs, or by the sweeper where one
    /// was too young to have a watchdog) and retried there, then the waiters run: every execution ends
    /// completed (or, had it no attempt left, dead-lettered), none stays running, and no key stays held.
    /// </summary>
    [PostgresFact]
    public async Task Executions_running_on_a_killed_silo_end_completed_by_retry_or_dead_lettered_and_release_their_keys()
    {
        await using var cluster = await ExecutionCluster.StartAsync(3, options => options.LaneConcurrency[Lane.Normal] = 2 * Running);
        var members = cluster.Members;
        var victim = members[2];
        var keys = Enumerable.Range(0, Running).Select(i => $"kill-{i:000}").ToArray();
        var retry = new RetryPolicy(3, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), RetryPolicy.TransientCodes);

        SubmitRequest Sleep(string key, int ms) => new("test.sleep", new Dictionary<string, string?> { ["ms"] = $"{ms}" }, LogicalKey: key) { Retry = retry };

        // Long enough to be still running when the silo dies, however slowly the waiters are submitted.
        var doomed = await Task.WhenAll(keys.Select(key => victim.Dispatcher.SubmitAsync(Sleep(key, 6_000), CancellationToken.None)));
        await Task.WhenAll(doomed.Select(e => cluster.Probe.WaitForStartAsync(e.ExecutionId)));
        var waiters = await Task.WhenAll(keys.Select((key, i) => members[i % 3].Dispatcher.SubmitAsync(Sleep(key, 1_000), CancellationToken.None)));
        Assert.All(waiters, w => Assert.Equal(ExecutionStatus.Queued, w.Status));
        Assert.Equal(Running, await cluster.Backend.ScalarAsync("SELECT COUNT(*) FROM executions WHERE status = 'running'"));

        var clock = Stopwatch.StartNew();
        await cluster.KillAsync(victim);

        var all = doomed.Concat(waiters).Select(e => e.ExecutionId).ToArray();
        await Eventually.TrueAsync(
            async () => await cluster.Backend.ScalarAsync("SELECT COUNT(*) FROM executions WHERE status IN ('completed', 'cancelled', 'dead_lettered')") == all.Length,
            TimeSpan.FromSeconds(90), $"all {all.Length} executions ended");
        output.WriteLine($"All {all.Length} executions ended {clock.Elapsed.TotalSeconds:F1} s after the kill.");

        var survivors = members.Take(2).Select(m => m.Silo.Address.ToString()).ToHashSet();
        foreach (var execution in doomed)
        {
            var ended = await members[0].Dispatcher.GetAsync(execution.ExecutionId, CancellationToken.None);
            var events = await members[0].Dispatcher.EventsAsync(execution.ExecutionId, 0, 100, CancellationToken.None);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(n => (long)n), events.Select(e => e.Sequence));
            Assert.Equal(ended.EventCount, events.Count);
            Assert.Contains(events, e => e.Type == ExecutionEventTypes.Orphaned && e.Data["error_code"] == ErrorCodes.Orphaned);
            if (ended.Status == ExecutionStatus.Completed)
            {
                Assert.True(ended.Attempt >= 2, $"{ended.ExecutionId} completed in attempt {ended.Attempt}, not by a retry.");
                Assert.Contains(events[^2].Data["silo"], survivors);
            }
            else
            {
                Assert.Equal(ExecutionStatus.DeadLettered, ended.Status);
                Assert.Equal(ErrorCodes.Orphaned, ended.Error!.Code);
            }
        }

        var statuses = await cluster.Backend.StringsAsync("SELECT status FROM executions");
        Assert.All(statuses, status => Assert.True(status is "completed" or "dead_lettered", status));
        output.WriteLine($"{statuses.Count(s => s == "completed")} completed, {statuses.Count(s => s == "dead_lettered")} dead-lettered.");
        foreach (var waiter in waiters)
        {
            Assert.Equal(ExecutionStatus.Completed, (await members[0].Dispatcher.GetAsync(waiter.ExecutionId, CancellationToken.None)).Status);
        }

        await Eventually.TrueAsync(async () =>
        {
            var views = await Task.WhenAll(keys.Select(key => members[0].Dispatcher.GetLogicalKeyAsync(key, CancellationToken.None)));
            return views.All(view => view.Holder is null && view.Waiters.Count == 0);
        }, TimeSpan.FromSeconds(10), "every key free");
        await Eventually.TrueAsync(async () => await cluster.Backend.ScalarAsync("SELECT COUNT(*) FROM grain_reminders WHERE grain_type = 'execution'") == 0, TimeSpan.FromSeconds(10), "no watchdog left");
    }
}
