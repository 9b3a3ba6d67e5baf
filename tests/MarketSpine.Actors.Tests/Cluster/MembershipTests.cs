using System.Diagnostics;
using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;
using MarketSpine.Testing;

namespace MarketSpine.Actors.Tests.Cluster;

/// <summary>Joining, leaving, and what becomes of a silo that loses its membership, with the default timings.</summary>
[Collection(OneClusterAtATime.Name)]
public sealed class MembershipTests
{
    private static readonly TimeSpan DeathTimeout = new ClusterOptions().DeathTimeout;

    [PostgresFact]
    public async Task A_silo_stopping_cleanly_hands_its_grains_over_and_leaves_the_membership()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (leaving, staying) = (cluster.Silos[0], cluster.Silos[1]);
        Assert.Equal(["active", "active"], [await cluster.StatusOfAsync(leaving), await cluster.StatusOfAsync(staying)]);
        var keys = Enumerable.Range(0, 20).Select(i => $"handover-{i}").ToList();
        foreach (var key in keys)
        {
            await leaving.Grains.GetGrain<ILedgerGrain>(key).Append(1);
        }

        var stop = cluster.StopSiloAsync(leaving);
        var during = keys.Select(key => staying.Grains.GetGrain<ILedgerGrain>(key).Append(1)).ToList();
        await stop;

        Assert.All(await Task.WhenAll(during), count => Assert.Equal(2, count));
        Assert.Equal(SiloStopReason.Requested, await leaving.Silo.Stopped);
        Assert.Equal("dead", await cluster.StatusOfAsync(leaving));
        foreach (var key in keys)
        {
            Assert.Equal(staying.Name, await staying.Grains.GetGrain<ILedgerGrain>(key).Where());
            Assert.Equal(3, await staying.Grains.GetGrain<ILedgerGrain>(key).Append(1));
        }

        Assert.Empty(cluster.Registry.Violations);
    }

    [PostgresFact]
    public async Task A_silo_that_cannot_renew_its_heartbeat_stops_itself_within_the_death_timeout_and_its_grains_come_back_elsewhere()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (cutOff, peer) = (cluster.Silos[0], cluster.Silos[1]);
        Assert.Equal(1, await cutOff.Grains.GetGrain<ILedgerGrain>("fenced").Append(1));
        var watch = Stopwatch.StartNew();

        // The silo loses its database: heartbeats, state and directory all fail from now on.
        await cutOff.DataSource.DisposeAsync();

        Assert.Equal(SiloStopReason.HeartbeatLost, await cutOff.Silo.Stopped.WaitAsync(DeathTimeout * 2));
        Assert.InRange(watch.Elapsed, DeathTimeout - TimeSpan.FromSeconds(1.5), DeathTimeout + TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<SiloUnavailableException>(() => cutOff.Grains.GetGrain<ILedgerGrain>("fenced").Read());
        await Eventually.TrueAsync(async () => await cluster.StatusOfAsync(cutOff) == "dead", DeathTimeout, "the cut-off silo is declared dead");
        Assert.Equal(2, await peer.Grains.GetGrain<ILedgerGrain>("fenced").Append(1));
        Assert.Equal(peer.Name, await peer.Grains.GetGrain<ILedgerGrain>("fenced").Where());
    }

    /// <summary>
    /// A stalled silo (a long pause) is declared dead and its grain activates elsewhere. Its own
    /// activation still runs when the process wakes, but its write carries the ETag it read, which the
    /// new activation's write has replaced, so the zombie cannot overwrite; and at its first heartbeat
    /// it learns it is dead and stops.
    /// </summary>
    [PostgresFact]
    public async Task A_paused_silo_is_declared_dead_and_on_resuming_its_writes_fail_on_etag_and_it_stops_itself()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (paused, peer) = (cluster.Silos[0], cluster.Silos[1]);
        Assert.Equal(1, await paused.Grains.GetGrain<ILedgerGrain>("zombie").Append(1));

        cluster.PauseSilo(paused);
        await Eventually.TrueAsync(async () => await cluster.StatusOfAsync(paused) == "dead", DeathTimeout * 3, "the paused silo is declared dead");
        Assert.Equal(2, await peer.Grains.GetGrain<ILedgerGrain>("zombie").Append(10));
        Assert.Equal(peer.Name, await peer.Grains.GetGrain<ILedgerGrain>("zombie").Where());

        var zombieWrite = await Assert.ThrowsAsync<InconsistentStateException>(() => paused.Grains.GetGrain<ILedgerGrain>("zombie").Append(100));
        cluster.ResumeSilo(paused);

        Assert.Contains("state 'ledger' of ledger/zombie", zombieWrite.Message, StringComparison.Ordinal);
        Assert.Equal(SiloStopReason.DeclaredDead, await paused.Silo.Stopped.WaitAsync(Probe.WaitLimit));
        var state = await peer.Grains.GetGrain<ILedgerGrain>("zombie").Read();
        Assert.Equal((2, 11L), (state.Count, state.Sum));
    }
}
