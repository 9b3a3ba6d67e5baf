using MarketSpine.Actors.Hosting;
using MarketSpine.Core.Data;
using MarketSpine.Storage.Postgres;
using MarketSpine.Testing;
using Npgsql;

namespace MarketSpine.Grains.Tests.Support;

/// <summary>The team store: a database of its own on the throwaway PostgreSQL, dropped on dispose.</summary>
public sealed class PostgresBackend : ExecutionBackend
{
    private readonly PostgresDatabase _cluster;
    private readonly PostgresSpineDatabase _database;

    private PostgresBackend(PostgresDatabase cluster)
    {
        _cluster = cluster;
        _database = new PostgresSpineDatabase(NewDataSource());
    }

    public override ISpineDatabase Database => _database;

    public string ConnectionString => _cluster.ConnectionString;

    public static async Task<PostgresBackend> CreateAsync()
    {
        var cluster = new PostgresDatabase();
        await cluster.InitializeAsync();
        var backend = new PostgresBackend(cluster);
        await backend.MigrateAsync();
        return backend;
    }

    /// <summary>
    /// A connection pool of its own, as a separate process would have; small enough that several silos
    /// fit the server. Statements are prepared once per connection, and a connection going back to the
    /// pool is not reset: nothing here keeps session state, and the reset (six statements per return,
    /// five returns per execution) was 80% of the statements the server ran for an execution, measured.
    /// </summary>
    public NpgsqlDataSource NewDataSource() =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_cluster.ConnectionString) { MaxPoolSize = 40, MaxAutoPrepare = 64, AutoPrepareMinUsages = 2, NoResetOnClose = true }.ConnectionString);

    public override void ConfigureSilo(SiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.UsePostgresStorage(_database.DataSource).UsePostgresReminders(_database.DataSource);
    }

    public override async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        await _cluster.DisposeAsync();
    }
}
