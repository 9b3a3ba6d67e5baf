using Npgsql;

namespace MarketSpine.Actors.Benchmarks.Cluster;

/// <summary>
/// A database of the run's own on the PostgreSQL that scripts/with-postgres.sh started (its admin
/// connection string is in <c>SPINE_TEST_POSTGRES</c>), created empty and dropped after the run, so
/// a run never sees another's grains or silos.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public const string AdminVariable = "SPINE_TEST_POSTGRES";

    private readonly string _admin;

    private BenchDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(AdminVariable) is { Length: > 0 } value ? value : throw new InvalidOperationException(
            $"{AdminVariable} is not set: run the benchmark under scripts/with-postgres.sh, which starts a throwaway PostgreSQL.");
        var database = new BenchDatabase(admin, $"spine_bench_{Guid.NewGuid():N}"[..32]);
        await database.ExecuteAsync($"CREATE DATABASE {database.Name}");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        // The run's pooled connections would hold the database open.
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private async Task ExecuteAsync(string statement)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(statement, connection);
        await command.ExecuteNonQueryAsync();
    }
}
