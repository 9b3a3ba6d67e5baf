using MarketSpine.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MarketSpine.Actors.Tests.Support;

/// <summary>Creates the runtime's tables with the very migration files production applies.</summary>
public static class Databases
{
    /// <summary>The runtime's migrations (numbers 100–199) of <paramref name="dialect"/>, in order, as one script.</summary>
    public static string Migration(string dialect) =>
        string.Join("\n", System.IO.Directory.GetFiles(Path.Combine(TestEnvironment.RepositoryRoot, "sql", dialect), "1??_*.sql")
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText));

    /// <summary>A new SQLite file with the runtime's tables; returns its connection string.</summary>
    public static string NewSqlite()
    {
        var path = Path.Combine(Path.GetTempPath(), $"spine-actors-{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Migration("sqlite");
        command.ExecuteNonQuery();
        transaction.Commit();
        return connectionString;
    }

    public static void DeleteSqlite(string connectionString)
    {
        var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Applies the PostgreSQL migration to <paramref name="database"/> in one transaction.</summary>
    public static async Task<NpgsqlDataSource> MigratedPostgresAsync(PostgresDatabase database)
    {
        var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(Migration("postgres"), connection, transaction);
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return dataSource;
    }
}
