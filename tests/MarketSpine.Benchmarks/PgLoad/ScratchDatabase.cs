using Npgsql;

namespace MarketSpine.Benchmarks.PgLoad;

/// <summary>
/// A database of the run's own on the PostgreSQL that scripts/with-postgres.sh started (its admin
/// connection string is in <c>SPINE_TEST_POSTGRES</c>), created empty and dropped after the run.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    public const string AdminVariable = "SPINE_TEST_POSTGRES";

    private readonly string _admin;

    private ScratchDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(AdminVariable) is { Length: > 0 } value ? value : throw new InvalidOperationException(
            $"{AdminVariable} is not set: run the benchmark under scripts/with-postgres.sh, which starts a throwaway PostgreSQL.");
        var database = new ScratchDatabase(admin, $"spine_bench_{Guid.NewGuid():N}"[..32]);
        await ExecuteAsync(admin, $"CREATE DATABASE {database.Name}");
        return database;
    }

    /// <summary>Runs statements on the scratch database, each in its own transaction.</summary>
    public async Task ExecuteAsync(params string[] statements)
    {
        foreach (var statement in statements)
        {
            await ExecuteAsync(ConnectionString, statement);
        }
    }

    public async Task<string> QueryTextAsync(string query)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(query, connection);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }

    public async ValueTask DisposeAsync()
    {
        // The run's pooled connections would hold the database open.
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string statement)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(statement, connection);
        await command.ExecuteNonQueryAsync();
    }
}
