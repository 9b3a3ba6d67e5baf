using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Grains.Tests.Support;
using MarketSpine.Testing;
using Xunit.Abstractions;

namespace MarketSpine.Grains.Tests.Cluster;

/// <summary>
/// The two ways a silo goes away under running executions: stopped cleanly (SIGTERM, a rolling
/// deploy), it hands them back and they run elsewhere without the attempt counted; killed, it cannot,
/// and the attempt counts as orphaned under the retry policy.
/// </summary>
[Collection(OneClusterAtATime.Name)]
public sealed class SiloStopTests(ITestOutputHelper output)
{
    /// <summary>
    /// Three executions submitted through one silo of two, with two lane slots: two run there (one
    /// holding a logical key), the third waits in its lane pool. That silo stops cleanly. All three
    /// run on the other silo and complete, under the default policy of one attempt: the two that ran
    /// were queued again with their attempt not counted, and the waiting one was handed on.
    /// </summary>
    [PostgresFact]
    public async Task A_silo_stopping_cleanly_hands_its_executions_back_and_the_other_runs_them_without_counting_the_attempt()
    {
        await using var cluster = await ExecutionCluster.StartAsync(2, options => options.LaneConcurrency[Lane.Normal] = 2);
        var (survivor, stopping) = (cluster.Members[0], cluster.Members[1]);
        var key = $"stop-{Guid.NewGuid():N}";
        var keyed = await stopping.Dispatcher.SubmitAsync(Sleep(3_000) with { LogicalKey = key }, CancellationToken.None);
        var plain = await stopping.Dispatcher.SubmitAsync(Sleep(3_000), CancellationToken.None);
        await Task.WhenAll(cluster.Probe.WaitForStartAsync(keyed.ExecutionId), cluster.Probe.WaitForStartAsync(plain.ExecutionId));
        var waiting = await stopping.Dispatcher.SubmitAsync(Sleep(100), CancellationToken.None);
        Assert.Equal(ExecutionStatus.Queued, (await stopping.Dispatcher.GetAsync(waiting.ExecutionId, CancellationToken.None)).Status);

        await cluster.StopAsync(stopping);

        var survivorSilo = survivor.Silo.Address.ToString();
        foreach (var id in new[] { keyed.ExecutionId, plain.ExecutionId })
        {
            var ended = await survivor.Dispatcher.WaitAsync(id, TimeSpan.FromSeconds(60), CancellationToken.None);
            var events = await survivor.Dispatcher.EventsAsync(id, 0, 100, CancellationToken.None);
            output.WriteLine($"{id}: {string.Join(", ", events.Select(e => e.Type))}");
            Assert.Equal(ExecutionStatus.Completed, ended.Status);
            Assert.Equal((1, 1), (ended.Attempt, ended.MaxAttempts));
            Assert.Equal(
                [ExecutionEventTypes.Created, ExecutionEventTypes.Queued, ExecutionEventTypes.Started, ExecutionEventTypes.Requeued,
                    ExecutionEventTypes.Started, ExecutionEventTypes.Completed],
                events.Select(e => e.Type));
            Assert.Equal(stopping.Silo.Address.ToString(), events[2].Data["silo"]);
            Assert.Equal("1", events[3].Data["interrupted_attempt"]);
            Assert.Contains("stopped", events[3].Data["reason"], StringComparison.Ordinal);
            Assert.Equal([0, 0, 1, 0, 1, 1], events.Select(e => e.Attempt));
            Assert.Equal(survivorSilo, events[4].Data["silo"]);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(n => (long)n), events.Select(e => e.Sequence));
        }

        var handedOn = await survivor.Dispatcher.WaitAsync(waiting.ExecutionId, TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(ExecutionStatus.Completed, handedOn.Status);
        var waited = await survivor.Dispatcher.EventsAsync(waiting.ExecutionId, 0, 100, CancellationToken.None);
        Assert.Equal([ExecutionEventTypes.Created, ExecutionEventTypes.Queued, ExecutionEventTypes.Started, ExecutionEventTypes.Completed], waited.Select(e => e.Type));
        Assert.Equal(survivorSilo, waited[2].Data["silo"]);

        await Eventually.TrueAsync(async () => (await survivor.Dispatcher.GetLogicalKeyAsync(key, CancellationToken.None)).Holder is null,
            TimeSpan.FromSeconds(10), "the key free");
        await Eventually.TrueAsync(async () => await cluster.Backend.ScalarAsync("SELECT COUNT(*) FROM grain_reminders WHERE grain_type = 'execution'") == 0,
            TimeSpan.FromSeconds(10), "no watchdog left");
    }

    /// <summary>
    /// Two executions run on one silo of two, which is killed. The survivor finds both orphaned: the
    /// one allowed a single attempt is dead-lettered with ORPHANED, the one allowed two runs again
    /// there and completes in its second attempt.
    /// </summary>
    [PostgresFact]
    public async Task A_killed_silo_s_running_executions_are_orphaned_and_the_attempt_counts_by_their_retry_policy()
    {
        await using var cluster = await ExecutionCluster.StartAsync(2);
        var (survivor, victim) = (cluster.Members[0], cluster.Members[1]);
        var once = await victim.Dispatcher.SubmitAsync(Sleep(4_000), CancellationToken.None);
        var twice = await victim.Dispatcher.SubmitAsync(
            Sleep(4_000) with { Retry = new RetryPolicy(2, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), RetryPolicy.TransientCodes) },
            CancellationToken.None);
        await Task.WhenAll(cluster.Probe.WaitForStartAsync(once.ExecutionId), cluster.Probe.WaitForStartAsync(twice.ExecutionId));

        await cluster.KillAsync(victim);

        var deadLettered = await survivor.Dispatcher.WaitAsync(once.ExecutionId, TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(ExecutionStatus.DeadLettered, deadLettered.Status);
        Assert.Equal(ErrorCodes.Orphaned, deadLettered.Error!.Code);
        Assert.Equal(1, deadLettered.Attempt);
        Assert.Equal(
            [ExecutionEventTypes.Created, ExecutionEventTypes.Queued, ExecutionEventTypes.Started, ExecutionEventTypes.Orphaned, ExecutionEventTypes.DeadLettered],
            (await survivor.Dispatcher.EventsAsync(once.ExecutionId, 0, 100, CancellationToken.None)).Select(e => e.Type));

        var retried = await survivor.Dispatcher.WaitAsync(twice.ExecutionId, TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(ExecutionStatus.Completed, retried.Status);
        Assert.Equal(2, retried.Attempt);
        var events = await survivor.Dispatcher.EventsAsync(twice.ExecutionId, 0, 100, CancellationToken.None);
        Assert.Equal(
            [ExecutionEventTypes.Created, ExecutionEventTypes.Queued, ExecutionEventTypes.Started, ExecutionEventTypes.Orphaned, ExecutionEventTypes.Retried,
                ExecutionEventTypes.Started, ExecutionEventTypes.Completed],
            events.Select(e => e.Type));
        Assert.Equal(survivor.Silo.Address.ToString(), events[5].Data["silo"]);
    }

    private static SubmitRequest Sleep(int ms) => new("test.sleep", new Dictionary<string, string?> { ["ms"] = $"{ms}" });
}
