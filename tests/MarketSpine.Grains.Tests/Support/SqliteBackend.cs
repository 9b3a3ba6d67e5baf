using MarketSpine.Actors.Hosting;
using MarketSpine.Core.Data;
using MarketSpine.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace MarketSpine.Grains.Tests.Support;

/// <summary>The embedded mode: one SQLite file holds the executions, the grain state and the reminders.</summary>
public sealed class SqliteBackend : ExecutionBackend
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "marketspine-grains-tests");

    private readonly SqliteSpineDatabase _database = new(Path.Combine(Folder, $"{Guid.NewGuid():N}.db"));

    private SqliteBackend()
    {
    }

    public override ISpineDatabase Database => _database;

    // Default Timeout: Microsoft.Data.Sqlite retries a busy database for that long, as the store's
    // busy_timeout does, so the runtime's tables and the store's can share the file.
    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _database.FilePath, DefaultTimeout = 30 }.ToString();

    public static async Task<SqliteBackend> CreateAsync()
    {
        Directory.CreateDirectory(Folder);
        var backend = new SqliteBackend();
        await backend.MigrateAsync();
        return backend;
    }

    public override void ConfigureSilo(SiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.UseSqliteStorage(ConnectionString).UseSqliteReminders(ConnectionString);
    }

    public override ValueTask DisposeAsync()
    {
        _database.Delete();
        return ValueTask.CompletedTask;
    }
}
