using MarketSpine.Storage.Migrations;
using MarketSpine.Testing;

namespace MarketSpine.Storage.Tests.Support;

/// <summary>A class fixture: one migrated database shared by the tests of a class (they run one at a time).</summary>
public abstract class MigratedStoreFixture(StoreFactory stores) : IAsyncLifetime
{
    private TestStore? _store;

    public TestStore Store => _store ?? throw new InvalidOperationException($"The {stores.Dialect} store is not available.");

    protected virtual bool Available => true;

    public async Task InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        _store = await stores.CreateAsync();
        await new MigrationRunner(_store.Database).ApplyAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}

public sealed class MigratedSqlite() : MigratedStoreFixture(new SqliteStores());

/// <summary>Outside scripts/with-postgres.sh it creates nothing, and the class's [PostgresFact] tests skip.</summary>
public sealed class MigratedPostgres() : MigratedStoreFixture(new PostgresStores())
{
    protected override bool Available => TestEnvironment.PostgresAdminConnectionString is not null;
}
