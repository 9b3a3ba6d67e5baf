using System.Diagnostics;
using MarketSpine.Core.Execution;
using MarketSpine.Grains.Tests.Support;
using MarketSpine.Testing;
using Xunit.Abstractions;

namespace MarketSpine.Grains.Tests.Cluster;

/// <summary>The outage test: PostgreSQL restarts while executions run.</summary>
[Collection(OneClusterAtATime.Name)]
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private const int Keys = 10;
    private const int PerKey = 3;
    private const int Unkeyed = 30;

    /// <summary>How long the server stays down: long enough that writes of every kind meet the outage.</summary>
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Sixty executions on two silos: thirty on ten logical keys (one runs per key, two wait), thirty
    /// without, sleeping 0.3 to 2.5 s, allowed three attempts. PostgreSQL restarts (fast shutdown: every
    /// connection cut; down for 2 s) while they run, and more are submitted while it does. The runtime reconnects:
    /// every execution stored ends completed (at once or by a retry) or dead-lettered with its reason,
    /// none stays running or queued, every history is numbered without gaps, no key stays held and no
    /// watchdog is left. A submission the outage refused may fail to its caller; it leaves nothing behind.
    /// </summary>
    [PostgresFact]
    public async Task Executions_running_while_PostgreSQL_restarts_all_end_none_running_no_key_held()
    {
        await using var cluster = await ExecutionCluster.StartAsync(2);
        var members = cluster.Members;
        var retry = new RetryPolicy(3, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), RetryPolicy.TransientCodes);
        var keys = Enumerable.Range(0, Keys).Select(k => $"restart-{k}-{Guid.NewGuid():N}").ToArray();
        var random = new Random(20261122);
        SubmitRequest Sleep(string? key) => new("test.sleep", new Dictionary<string, string?> { ["ms"] = $"{random.Next(300, 2_500)}" }, LogicalKey: key) { Retry = retry };

        var requests = keys.SelectMany(key => Enumerable.Repeat(key, PerKey)).Concat(Enumerable.Repeat<string?>(null, Unkeyed)).Select(Sleep).ToList();
        var submitted = new List<string>();
        for (var i = 0; i < requests.Count; i++)
        {
            submitted.Add((await members[i % 2].Dispatcher.SubmitAsync(requests[i], CancellationToken.None)).ExecutionId);
        }

        await Eventually.TrueAsync(async () => await cluster.Backend.ScalarAsync("SELECT COUNT(*) FROM executions WHERE status = 'running'") >= Keys,
            TimeSpan.FromSeconds(20), "executions running");

        // Submissions race the restart: each is stored (and must end like the rest) or fails to its caller.
        using var stopSubmitting = new CancellationTokenSource();
        var racing = Task.Run(async () =>
        {
            var (stored, refused) = (0, 0);
            for (var i = 0; !stopSubmitting.IsCancellationRequested; i++)
            {
                try
                {
                    await members[i % 2].Dispatcher.SubmitAsync(Sleep(i % 2 == 0 ? keys[i % Keys] : null), CancellationToken.None);
                    stored++;
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    refused++;
                }

                await Task.Delay(50, CancellationToken.None);
            }

            return (stored, refused);
        });

        var clock = Stopwatch.StartNew();
        await PostgresServer.RestartAsync(Down);
        var restartedIn = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stopSubmitting.CancelAsync();
        var (racingStored, racingRefused) = await racing;

        await Eventually.TrueAsync(
            async () => await QuietlyAsync(() => cluster.Backend.ScalarAsync("SELECT COUNT(*) FROM executions WHERE status NOT IN ('completed', 'cancelled', 'dead_lettered')")) == 0,
            TimeSpan.FromSeconds(120), "every execution ended");
        output.WriteLine($"PostgreSQL restarted in {restartedIn.TotalSeconds:F1} s; all ended {clock.Elapsed.TotalSeconds:F1} s after the restart began; "
                         + $"{racingStored} submissions during the restart stored, {racingRefused} refused.");

        var backend = cluster.Backend;
        foreach (var row in await backend.StringsAsync("SELECT status || ' ' || attempt || ' ' || COALESCE(error_code, '-') FROM executions ORDER BY 1"))
        {
            output.WriteLine(row);
        }

        // A refused submission may still have been stored (its caller gave up while the write was tried again): then it ends like the rest.
        Assert.InRange(await backend.ScalarAsync("SELECT COUNT(*) FROM executions"), requests.Count + racingStored, requests.Count + racingStored + racingRefused);
        Assert.Equal(submitted.Count, await backend.ScalarAsync("SELECT COUNT(*) FROM executions WHERE execution_id = ANY(@ids)", ("@ids", submitted.ToArray())));
        Assert.Equal(0, await backend.ScalarAsync("SELECT COUNT(*) FROM executions WHERE status NOT IN ('completed', 'dead_lettered')"));
        Assert.Equal(0, await backend.ScalarAsync("SELECT COUNT(*) FROM executions WHERE status = 'dead_lettered' AND (error_code IS NULL OR error_message IS NULL)"));
        Assert.Equal(0, await backend.ScalarAsync("""
            SELECT COUNT(*) FROM executions x
            WHERE x.event_count <> (SELECT COUNT(*) FROM execution_events e WHERE e.execution_id = x.execution_id)
               OR x.event_count <> (SELECT MAX(seq) FROM execution_events e WHERE e.execution_id = x.execution_id)
            """));
        Assert.Equal(0, await backend.ScalarAsync("""
            SELECT COUNT(*) FROM executions x
            WHERE x.status = 'completed' AND (SELECT event_type FROM execution_events e WHERE e.execution_id = x.execution_id ORDER BY seq DESC LIMIT 1) <> 'completed'
            """));

        await Eventually.TrueAsync(async () =>
        {
            var views = await Task.WhenAll(keys.Select(key => members[0].Dispatcher.GetLogicalKeyAsync(key, CancellationToken.None)));
            return views.All(view => view.Holder is null && view.Waiters.Count == 0);
        }, TimeSpan.FromSeconds(20), "every key free");
        await Eventually.TrueAsync(async () => await backend.ScalarAsync("SELECT COUNT(*) FROM grain_reminders WHERE grain_type = 'execution'") == 0,
            TimeSpan.FromSeconds(20), "no watchdog left");
        foreach (var problem in cluster.Logs.Problems.Take(30))
        {
            output.WriteLine(problem);
        }
    }

    /// <summary>A count read through the test's own pool, whose connections the restart also cut: a failed read counts as not yet.</summary>
    private static async Task<long> QuietlyAsync(Func<Task<long>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return -1;
        }
    }
}
