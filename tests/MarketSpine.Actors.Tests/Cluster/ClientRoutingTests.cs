using System.Diagnostics;
using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;
using MarketSpine.Testing;

namespace MarketSpine.Actors.Tests.Cluster;

/// <summary>A client sends each call to the silo that ran its grain last, and bounds every call by its own timeout.</summary>
[Collection(OneClusterAtATime.Name)]
public sealed class ClientRoutingTests
{
    /// <summary>
    /// The first call reaches a random gateway, which places the grain; from then on the client sends the
    /// grain's calls to that silo alone. When the grain moves, the next call still goes to the old silo,
    /// which passes it on; the answer names the new silo, and the calls after it go there.
    /// </summary>
    [PostgresFact]
    public async Task A_clients_calls_go_to_the_grains_silo_and_follow_the_grain_when_it_moves()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await using var client = await cluster.ConnectClientAsync();
        var ledger = client.GetGrain<ILedgerGrain>("direct");
        Assert.Equal(1, await ledger.Append(1));
        var host = cluster.Silos.Single(s => s.Name == cluster.Registry.SiloOf("direct"));
        var next = cluster.Silos.First(s => s != host);

        var before = Served(cluster);
        for (var i = 2; i <= 11; i++)
        {
            Assert.Equal(i, await ledger.Append(1));
        }

        Assert.Equal(cluster.Silos.Select(s => s == host ? 10L : 0L), Delta(cluster, before));

        await host.Grains.GetGrain<ILedgerGrain>("direct").Deactivate();
        await Eventually.TrueAsync(() => Task.FromResult(host.Silo.ActivationCount == 0), Probe.WaitLimit, "the grain leaves its silo");
        Assert.Equal(next.Name, await next.Grains.GetGrain<ILedgerGrain>("direct").Where());

        before = Served(cluster);
        Assert.Equal(12, await ledger.Append(1));
        Assert.Equal(cluster.Silos.Select(s => s == host || s == next ? 1L : 0L), Delta(cluster, before));

        before = Served(cluster);
        for (var i = 13; i <= 17; i++)
        {
            Assert.Equal(i, await ledger.Append(1));
        }

        Assert.Equal(cluster.Silos.Select(s => s == next ? 5L : 0L), Delta(cluster, before));
        Assert.Empty(cluster.Registry.Violations);
    }

    /// <summary>The gateway's clock stands still, so its own timeout sweep cannot answer: the client's sweep ends the call.</summary>
    [PostgresFact]
    public async Task A_client_call_that_gets_no_answer_fails_at_its_timeout_within_two_check_intervals()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var client = await cluster.ConnectClientAsync(options =>
        {
            options.DefaultCallTimeout = TimeSpan.FromSeconds(1);
            options.CallTimeoutCheckInterval = TimeSpan.FromMilliseconds(200);
        });
        var grain = client.GetGrain<ITurnGrain>("unanswered");
        await grain.Peek();
        var gateway = cluster.Silos.Single(s => s.Silo.ActivationCount == 1);
        cluster.PauseSilo(gateway);

        var started = Stopwatch.GetTimestamp();
        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => grain.Hold("never").WaitAsync(Probe.WaitLimit));
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.Equal($"The call ITurnGrain/unanswered.Hold got no answer within 00:00:01 through gateway {gateway.Silo.Address}.", error.Message);
        // At most 1.4 s (the timeout and two check intervals), with room for a busy machine.
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
    }

    private static long[] Served(TestCluster cluster) => [.. cluster.Silos.Select(s => s.Transport.GetStatistics().RequestsServed)];

    private static IEnumerable<long> Delta(TestCluster cluster, long[] before) => Served(cluster).Zip(before, (after, was) => after - was);
}
