using System.Net;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Membership;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Testing;

namespace MarketSpine.Actors.Tests.Directory;

/// <summary>The PostgreSQL directory's contract: first writer wins, dead owners count as absent, unregistration is conditional.</summary>
public sealed class PostgresGrainDirectoryTests(MigratedPostgres postgres) : IClassFixture<MigratedPostgres>
{
    [PostgresFact]
    public async Task Of_many_silos_registering_one_grain_at_once_the_first_wins_and_all_learn_it()
    {
        var silos = await JoinAsync(8);
        var grain = NewGrain();
        var directory = Directory();

        var registered = await Task.WhenAll(silos.Select(silo => directory.RegisterAsync(new GrainAddress(grain, silo, Guid.NewGuid()), CancellationToken.None).AsTask()));

        var winner = Assert.Single(registered.Distinct());
        Assert.Equal(winner, await directory.LookupAsync(grain, CancellationToken.None));
    }

    [PostgresFact]
    public async Task A_registration_of_a_dead_silo_counts_as_absent_and_is_replaced()
    {
        var silos = await JoinAsync(2);
        var grain = NewGrain();
        var directory = Directory();
        var onDead = new GrainAddress(grain, silos[0], Guid.NewGuid());
        await directory.RegisterAsync(onDead, CancellationToken.None);
        Assert.True(await Membership().SetStatusAsync(silos[0], SiloStatus.Dead, CancellationToken.None));

        Assert.Null(await directory.LookupAsync(grain, CancellationToken.None));
        var replacement = new GrainAddress(grain, silos[1], Guid.NewGuid());
        Assert.Equal(replacement, await directory.RegisterAsync(replacement, CancellationToken.None));
        Assert.Equal(replacement, await directory.LookupAsync(grain, CancellationToken.None));
    }

    [PostgresFact]
    public async Task Silos_replacing_the_same_dead_owner_at_once_leave_one_winner()
    {
        var silos = await JoinAsync(7);
        var directory = Directory();
        var grains = Enumerable.Range(0, 20).Select(_ => NewGrain()).ToList();
        foreach (var grain in grains)
        {
            await directory.RegisterAsync(new GrainAddress(grain, silos[0], Guid.NewGuid()), CancellationToken.None);
        }

        Assert.True(await Membership().SetStatusAsync(silos[0], SiloStatus.Dead, CancellationToken.None));

        foreach (var grain in grains)
        {
            var registered = await Task.WhenAll(silos.Skip(1).Select(silo => directory.RegisterAsync(new GrainAddress(grain, silo, Guid.NewGuid()), CancellationToken.None).AsTask()));
            var winner = Assert.Single(registered.Distinct());
            Assert.NotEqual(silos[0], winner.Silo);
        }
    }

    [PostgresFact]
    public async Task Unregistering_removes_only_the_activation_named()
    {
        var silos = await JoinAsync(1);
        var grain = NewGrain();
        var directory = Directory();
        var current = new GrainAddress(grain, silos[0], Guid.NewGuid());
        await directory.RegisterAsync(current, CancellationToken.None);

        await directory.UnregisterAsync(current with { ActivationId = Guid.NewGuid() }, CancellationToken.None);
        Assert.Equal(current, await directory.LookupAsync(grain, CancellationToken.None));

        await directory.UnregisterAsync(current, CancellationToken.None);
        Assert.Null(await directory.LookupAsync(grain, CancellationToken.None));
    }

    private PostgresGrainDirectory Directory() => new(postgres.DataSource, TimeProvider.System);

    private PostgresMembershipTable Membership() => new(postgres.DataSource);

    private static GrainId NewGrain() => new("directory-test", Guid.NewGuid().ToString("N"));

    private async Task<IReadOnlyList<SiloAddress>> JoinAsync(int count)
    {
        var now = DateTimeOffset.UtcNow;
        var silos = new List<SiloAddress>();
        for (var i = 0; i < count; i++)
        {
            var silo = new SiloAddress($"directory-{Guid.NewGuid():N}", now.ToUnixTimeMilliseconds());
            await Membership().JoinAsync(new SiloEntry(silo, new IPEndPoint(IPAddress.Loopback, 20_000 + i), SiloStatus.Joining, now, now, 0), now.AddDays(-7), CancellationToken.None);
            silos.Add(silo);
        }

        return silos;
    }
}
