using System.Data.Common;
using MarketSpine.Core.Data;
using Microsoft.Data.Sqlite;

namespace MarketSpine.Core.Tests.Sources;

/// <summary>
/// A named in-memory SQLite database shared by every connection of this instance. One connection
/// stays open for the instance's life, because SQLite drops a memory database with its last connection.
/// Counts the connections it hands out and keeps them, so tests can check the source disposed them.
/// </summary>
public sealed class SqliteMemoryDatabase : ISpineDatabase, IDisposable
{
    private readonly SqliteConnection _keeper;
    private readonly string _connectionString;

    public SqliteMemoryDatabase(string setupSql)
    {
        _connectionString = $"Data Source=core-tests-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        _keeper = new SqliteConnection(_connectionString);
        _keeper.Open();
        using var command = _keeper.CreateCommand();
        command.CommandText = setupSql;
        command.ExecuteNonQuery();
    }

    public List<SqliteConnection> Handed { get; } = [];

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public string Location => _connectionString;

    /// <summary>A connection that is not open yet, as a factory may return one.</summary>
    public ValueTask<DbConnection> CreateClosedAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        Handed.Add(connection);
        return ValueTask.FromResult<DbConnection>(connection);
    }

    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        Handed.Add(connection);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public ValueTask<IRowCursor> OpenCursorAsync(
        DbConnection connection, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken) =>
        DataReaderRowCursor.OpenAsync(connection, sql, parameters, cancellationToken);

    public ValueTask<IBulkInsert> BeginBulkInsertAsync(
        DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn> columns, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Sources only read.");

    public void Dispose() => _keeper.Dispose();
}
