using System.Data.Common;
using MarketSpine.Core.Data;
using MarketSpine.Storage.Postgres;
using MarketSpine.Storage.Sqlite;
using MarketSpine.Testing;

namespace MarketSpine.Storage.Tests.Support;

/// <summary>A database owned by one test or one test class, removed on dispose.</summary>
public sealed class TestStore(ISpineDatabase database, Func<ValueTask> remove) : IAsyncDisposable
{
    public ISpineDatabase Database { get; } = database;

    public SqlDialect Dialect => Database.Dialect;

    public async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.WithParameter(name, value);
        }

        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Whether a table or index of that name exists (in the default schema).</summary>
    public Task<bool> RelationExistsAsync(string name) => ExistsAsync(
        Dialect == SqlDialect.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE name = @name"
            : "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = @name",
        name);

    public async ValueTask DisposeAsync() => await remove();

    private async Task<bool> ExistsAsync(string sql, string name)
    {
        await using var connection = await Database.OpenConnectionAsync(CancellationToken.None);
        await using DbCommand command = connection.Command(sql).WithParameter("@name", name);
        return Convert.ToInt64(await command.ExecuteScalarAsync(CancellationToken.None), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}

/// <summary>Makes fresh, empty databases of one dialect: the seam through which a test body runs on both.</summary>
public abstract class StoreFactory
{
    public abstract SqlDialect Dialect { get; }

    public abstract Task<TestStore> CreateAsync();
}

/// <summary>A SQLite file of its own under the temp folder per store.</summary>
public sealed class SqliteStores : StoreFactory
{
    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public override Task<TestStore> CreateAsync()
    {
        var database = new SqliteSpineDatabase(Path.Combine(Path.GetTempPath(), "marketspine-storage-tests", $"{Guid.NewGuid():N}.db"));
        return Task.FromResult(new TestStore(database, () =>
        {
            database.Delete();
            return ValueTask.CompletedTask;
        }));
    }
}

/// <summary>A uniquely named database on the throwaway cluster per store, dropped on dispose.</summary>
public sealed class PostgresStores : StoreFactory
{
    public override SqlDialect Dialect => SqlDialect.Postgres;

    public override async Task<TestStore> CreateAsync()
    {
        var cluster = new PostgresDatabase();
        await cluster.InitializeAsync();
        var database = new PostgresSpineDatabase(cluster.ConnectionString);
        return new TestStore(database, async () =>
        {
            await database.DisposeAsync();
            await cluster.DisposeAsync();
        });
    }
}
