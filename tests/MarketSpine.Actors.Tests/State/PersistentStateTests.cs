using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.State;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;
using MarketSpine.Testing;

namespace MarketSpine.Actors.Tests.State;

public sealed class PersistentStateTests(MigratedPostgres postgres) : IClassFixture<MigratedPostgres>
{
    [Fact]
    public async Task State_is_read_on_activation_and_survives_deactivation()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IStatefulGrain>("s");
        Assert.Null(await grain.Etag());

        Assert.Equal(3, await grain.Add(3, "first"));
        await silo.Silo.GrainFactory.GetGrain<ICounterGrain>("unrelated").Touch();
        silo.Time.Advance(TimeSpan.FromMinutes(16));
        await silo.Probe.WaitFor($"deactivate:s:{DeactivationReason.Idle}");

        var tally = await grain.Read();
        Assert.Equal(3, tally.Count);
        Assert.Equal(["first"], tally.Notes);
        Assert.Equal(1, silo.Probe.Count("activate:s:3"));
    }

    [Fact]
    public async Task Clearing_resets_the_state()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IStatefulGrain>("c");
        await grain.Add(2, "x");

        await grain.Clear();

        Assert.Null(await grain.Etag());
        Assert.Equal(1, await grain.Add(1, "y"));
    }

    [Fact]
    public Task A_stale_etag_fails_the_write_and_deactivates_the_activation_in_memory() =>
        StaleEtagDeactivates(builder => builder.UseStorage(SharedMemory));

    [Fact]
    public async Task A_stale_etag_fails_the_write_and_deactivates_the_activation_in_sqlite()
    {
        var connectionString = Databases.NewSqlite();
        try
        {
            await StaleEtagDeactivates(builder => builder.UseSqliteStorage(connectionString));
        }
        finally
        {
            Databases.DeleteSqlite(connectionString);
        }
    }

    [PostgresFact]
    public Task A_stale_etag_fails_the_write_and_deactivates_the_activation_in_postgres() =>
        StaleEtagDeactivates(builder => builder.UsePostgresStorage(postgres.DataSource));

    private static readonly MemoryGrainStorage SharedMemory = new();

    /// <summary>
    /// Two silos share one store and both activate the same grain (what a split cluster or a zombie
    /// silo would do). The second writer's stale ETag is refused; its activation goes away, and its
    /// next call reads the other silo's write instead of overwriting it.
    /// </summary>
    private static async Task StaleEtagDeactivates(Action<SiloBuilder> storage)
    {
        var key = Guid.NewGuid().ToString("N");
        await using var one = await TestSilo.StartAsync(storage, name: "one");
        await using var two = await TestSilo.StartAsync(storage, name: "two");
        var onOne = one.Grains.GetGrain<IStatefulGrain>(key);
        var onTwo = two.Grains.GetGrain<IStatefulGrain>(key);
        Assert.Equal(1, await onOne.Add(1, "one"));
        Assert.Equal(1, (await onTwo.Read()).Count);

        Assert.Equal(11, await onOne.Add(10, "one again"));
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => onTwo.Add(100, "two"));

        Assert.Contains($"state 'tally' of stateful/{key}", error.Message, StringComparison.Ordinal);
        await two.Probe.WaitFor($"deactivate:{key}:{DeactivationReason.InconsistentState}");
        Assert.Equal(111, await onTwo.Add(100, "two, after reading afresh"));
        Assert.Equal(["one", "one again", "two, after reading afresh"], (await onTwo.Read()).Notes);
        Assert.Equal(1, two.Silo.GetStatistics().ErrorsByKind["inconsistent_state"]);
    }
}
