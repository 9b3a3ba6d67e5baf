using Npgsql;
using Xunit;

namespace MarketSpine.Testing;

/// <summary>
/// A uniquely named database on the test cluster, created for one test class and dropped after
/// it, so test classes never see one another's rows. Use as an xunit class fixture.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string Name { get; } = $"spine_test_{Guid.NewGuid():N}"[..32];

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var admin = TestEnvironment.PostgresAdminConnectionString ?? throw new InvalidOperationException(
            "SPINE_TEST_POSTGRES is not set: run the tests through scripts/test.sh, or a benchmark under scripts/with-postgres.sh, which start a throwaway PostgreSQL.");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = Name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var admin = TestEnvironment.PostgresAdminConnectionString;
        if (admin is null)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
