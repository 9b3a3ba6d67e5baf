using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;
using MarketSpine.Testing;

namespace MarketSpine.Actors.Tests.Cluster;

/// <summary>One call returns every silo's statistics, from a silo or a client, and a dead silo cannot make it fail or hang.</summary>
[Collection(OneClusterAtATime.Name)]
public sealed class ClusterStatisticsTests
{
    [Fact]
    public async Task A_single_node_silo_answers_for_itself()
    {
        await using var silo = await TestSilo.StartAsync(name: "alone");
        await silo.Client.GetGrain<ICounterGrain>("one").Increment();

        var statistics = await silo.Client.GetClusterStatisticsAsync(CancellationToken.None);

        var only = Assert.Single(statistics.Silos);
        Assert.Equal(silo.Silo.Address.ToString(), only.Silo);
        Assert.Equal((1, 1L), (statistics.Activations, statistics.Calls));
        Assert.Empty(statistics.Unreachable);
        Assert.Null(only.Transport);
    }

    [PostgresFact]
    public async Task A_client_and_a_silo_read_the_statistics_of_every_silo_and_a_killed_one_is_listed_unreachable()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await using var client = await cluster.ConnectClientAsync();
        for (var i = 0; i < 60; i++)
        {
            await client.GetGrain<ILedgerGrain>($"stats-{i}").Append(i);
        }

        var fromClient = await client.GetClusterStatisticsAsync(CancellationToken.None);
        var fromSilo = await cluster.Silos[0].Silo.GetClusterStatisticsAsync(CancellationToken.None);

        foreach (var statistics in new[] { fromClient, fromSilo })
        {
            Assert.Equal(cluster.Silos.Select(s => s.Silo.Address.ToString()).Order(StringComparer.Ordinal), statistics.Silos.Select(s => s.Silo));
            Assert.Empty(statistics.Unreachable);
            Assert.Equal(60, statistics.Silos.Sum(s => s.ActivationsByGrainType.GetValueOrDefault("ledger")));
            Assert.True(statistics.Silos.Count(s => s.ActivationsByGrainType.ContainsKey("ledger")) >= 2, "The ledgers were all placed on one silo.");
            Assert.True(statistics.Silos.Sum(s => s.Calls.Where(c => c.GrainType == "ledger" && c.Method == "Append").Sum(c => c.Calls)) >= 60);
            Assert.True(statistics.Silos.Sum(s => s.Transport!.RequestsServed) >= 40, "The calls the client sent through gateways were not counted by their transports.");
        }

        var victim = cluster.Silos[2];
        await cluster.KillSiloAsync(victim);
        var started = TimeProvider.System.GetTimestamp();
        var afterKill = await client.GetClusterStatisticsAsync(CancellationToken.None);

        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5), "The statistics call waited on the dead silo.");
        Assert.Equal(2, afterKill.Silos.Count);
        var unreachable = Assert.Single(afterKill.Unreachable);
        Assert.Equal(victim.Silo.Address.ToString(), unreachable.Silo);
    }
}
