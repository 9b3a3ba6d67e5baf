using MarketSpine.Testing;
using Npgsql;

namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// A class fixture: a fresh PostgreSQL database with the runtime's migration applied. Outside
/// scripts/with-postgres.sh it does nothing, and the class's [PostgresFact] tests skip.
/// </summary>
public sealed class MigratedPostgres : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private NpgsqlDataSource? _dataSource;

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("PostgreSQL is not available.");

    public async Task InitializeAsync()
    {
        if (TestEnvironment.PostgresAdminConnectionString is null)
        {
            return;
        }

        await _database.InitializeAsync();
        _dataSource = await Databases.MigratedPostgresAsync(_database);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
            await _database.DisposeAsync();
        }
    }
}
