using System.Data.Common;
using MarketSpine.Core.Data;
using Microsoft.Data.Sqlite;

namespace MarketSpine.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file. WAL lets readers (a query, the CLI) run while a pipeline
/// writes; synchronous=NORMAL is durable across process crashes, which is what a laptop needs.
/// </summary>
public sealed class SqliteSpineDatabase : ISpineDatabase
{
    private readonly string _connectionString;

    public SqliteSpineDatabase(string path)
    {
        FilePath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public string Location => FilePath;

    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            // busy_timeout: a second process (a query while a run writes) waits instead of failing at once.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ValueTask<IRowCursor> OpenCursorAsync(
        DbConnection connection, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SqliteRowCursor.Open((SqliteConnection)connection, sql, parameters));

    public ValueTask<IBulkInsert> BeginBulkInsertAsync(
        DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn> columns, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IBulkInsert>(new SqliteBulkInsert((SqliteConnection)connection, table, columns));

    /// <summary>Deletes the database file and its WAL companions.</summary>
    public void Delete()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(FilePath + suffix);
        }
    }
}
