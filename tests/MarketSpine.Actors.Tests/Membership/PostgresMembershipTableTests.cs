using System.Net;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Membership;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Testing;

namespace MarketSpine.Actors.Tests.Membership;

/// <summary>The membership table's statements on their own, with explicit times: each test uses silo names of its own.</summary>
public sealed class PostgresMembershipTableTests(MigratedPostgres postgres) : IClassFixture<MigratedPostgres>
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task A_silo_joins_renews_its_heartbeat_moves_forward_and_leaves()
    {
        var table = Table();
        var silo = Silo("walk");

        await table.JoinAsync(Entry(silo, 10_001), Now.AddDays(-7), CancellationToken.None);
        Assert.True(await table.HeartbeatAsync(silo, Now.AddSeconds(1), 42, CancellationToken.None));
        Assert.True(await table.SetStatusAsync(silo, SiloStatus.Active, CancellationToken.None));

        var entry = Assert.Single(await Alive(table), e => e.Address == silo);
        Assert.Equal((SiloStatus.Active, Now.AddSeconds(1), 42, new IPEndPoint(IPAddress.Loopback, 10_001)),
            (entry.Status, entry.HeartbeatAt, entry.ActivationCount, entry.Endpoint));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(silo.Generation), entry.StartedAt);

        Assert.True(await table.SetStatusAsync(silo, SiloStatus.Dead, CancellationToken.None));
        Assert.DoesNotContain(await Alive(table), e => e.Address == silo);
        Assert.False(await table.HeartbeatAsync(silo, Now.AddSeconds(2), 0, CancellationToken.None));
        Assert.False(await table.SetStatusAsync(silo, SiloStatus.Active, CancellationToken.None));
    }

    [PostgresFact]
    public async Task Of_many_peers_declaring_a_stale_silo_at_once_exactly_one_does_and_its_grains_are_freed()
    {
        var table = Table();
        var stale = Silo("stale");
        var peers = Enumerable.Range(0, 8).Select(i => Silo($"peer{i}")).ToList();
        await table.JoinAsync(Entry(stale, 10_002, heartbeat: Now.AddSeconds(-10)), Now.AddDays(-7), CancellationToken.None);
        foreach (var peer in peers)
        {
            await table.JoinAsync(Entry(peer, 10_003, heartbeat: Now), Now.AddDays(-7), CancellationToken.None);
        }

        var directory = new PostgresGrainDirectory(postgres.DataSource, TimeProvider.System);
        var staleGrain = new GrainAddress(new GrainId("t", $"stale-{Guid.NewGuid():N}"), stale, Guid.NewGuid());
        var liveGrain = new GrainAddress(new GrainId("t", $"live-{Guid.NewGuid():N}"), peers[0], Guid.NewGuid());
        Assert.Equal(staleGrain, await directory.RegisterAsync(staleGrain, CancellationToken.None));
        Assert.Equal(liveGrain, await directory.RegisterAsync(liveGrain, CancellationToken.None));

        var declared = await Task.WhenAll(peers.Select(peer => table.DeclareDeadAsync(Now.AddSeconds(-5), peer, CancellationToken.None)));

        Assert.Equal([stale], declared.SelectMany(d => d).Where(s => s.Name.StartsWith("stale", StringComparison.Ordinal)));
        Assert.DoesNotContain(await Alive(table), e => e.Address == stale);
        Assert.False(await table.HeartbeatAsync(stale, Now, 0, CancellationToken.None));
        Assert.Null(await directory.LookupAsync(staleGrain.Grain, CancellationToken.None));
        Assert.Equal(0, await DirectoryRows(staleGrain.Grain));
        Assert.Equal(liveGrain, await directory.LookupAsync(liveGrain.Grain, CancellationToken.None));
    }

    [PostgresFact]
    public async Task A_declaration_spares_silos_whose_heartbeat_is_recent_and_the_declaring_silo_itself()
    {
        var table = Table();
        var fresh = Silo("fresh");
        var self = Silo("self");
        await table.JoinAsync(Entry(fresh, 10_004, heartbeat: Now.AddSeconds(-4)), Now.AddDays(-7), CancellationToken.None);
        await table.JoinAsync(Entry(self, 10_005, heartbeat: Now.AddSeconds(-60)), Now.AddDays(-7), CancellationToken.None);

        var declared = await table.DeclareDeadAsync(Now.AddSeconds(-5), self, CancellationToken.None);

        Assert.DoesNotContain(declared, s => s == fresh || s == self);
        Assert.Contains(await Alive(table), e => e.Address == fresh);
        Assert.Contains(await Alive(table), e => e.Address == self);
    }

    [PostgresFact]
    public async Task A_restarted_silo_replaces_its_previous_generation_at_once_and_expired_dead_rows_go()
    {
        var table = Table();
        var name = $"pod-{Guid.NewGuid():N}";
        var previous = new SiloAddress(name, 1_000);
        var restarted = new SiloAddress(name, 2_000);
        var longDead = Silo("long-dead");
        await table.JoinAsync(Entry(longDead, 10_006, heartbeat: Now.AddDays(-8)), Now.AddDays(-30), CancellationToken.None);
        Assert.True(await table.SetStatusAsync(longDead, SiloStatus.Dead, CancellationToken.None));
        await table.JoinAsync(Entry(previous, 10_007), Now.AddDays(-7), CancellationToken.None);
        var directory = new PostgresGrainDirectory(postgres.DataSource, TimeProvider.System);
        var grain = new GrainAddress(new GrainId("t", $"old-{Guid.NewGuid():N}"), previous, Guid.NewGuid());
        await directory.RegisterAsync(grain, CancellationToken.None);

        await table.JoinAsync(Entry(restarted, 10_007), Now.AddDays(-7), CancellationToken.None);

        var alive = await Alive(table);
        Assert.DoesNotContain(alive, e => e.Address == previous);
        Assert.Contains(alive, e => e.Address == restarted);
        Assert.Equal(0, await DirectoryRows(grain.Grain));
        Assert.Equal(0, await SiloRows(longDead));
    }

    private PostgresMembershipTable Table() => new(postgres.DataSource);

    private static SiloAddress Silo(string prefix) => new($"{prefix}-{Guid.NewGuid():N}", Now.ToUnixTimeMilliseconds());

    private static SiloEntry Entry(SiloAddress silo, int port, DateTimeOffset? heartbeat = null) =>
        new(silo, new IPEndPoint(IPAddress.Loopback, port), SiloStatus.Joining, heartbeat ?? Now, DateTimeOffset.FromUnixTimeMilliseconds(silo.Generation), 0);

    private static async Task<IReadOnlyList<SiloEntry>> Alive(PostgresMembershipTable table) => await table.ReadAliveAsync(CancellationToken.None);

    private async Task<long> DirectoryRows(GrainId grain)
    {
        await using var command = postgres.DataSource.CreateCommand("SELECT count(*) FROM grain_directory WHERE grain_type = $1 AND grain_key = $2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = grain.Type });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = grain.Key });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> SiloRows(SiloAddress silo)
    {
        await using var command = postgres.DataSource.CreateCommand("SELECT count(*) FROM cluster_silos WHERE silo_name = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = silo.Name });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
