using System.Globalization;
using MarketSpine.Core.Data;
using Microsoft.Data.Sqlite;

namespace MarketSpine.Storage.Sqlite;

/// <summary>
/// Bulk insert for SQLite: one prepared INSERT whose parameters are rebound per row, inside the
/// caller's transaction. SQLite has no COPY; a reused prepared statement in one transaction is
/// its fastest path (measured in docs/benchmarks.md).
/// </summary>
internal sealed class SqliteBulkInsert : IBulkInsert
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;
    private int _column = -1;
    private long _rows;

    public SqliteBulkInsert(SqliteConnection connection, SqliteTransaction transaction, string table, IReadOnlyList<BulkColumn> columns)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText =
            $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
        _parameters = new SqliteParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            _parameters[i] = _command.Parameters.Add("$p" + i.ToString(CultureInfo.InvariantCulture), ToSqliteType(columns[i].Type));
        }

        _command.Prepare();
    }

    public async ValueTask StartRowAsync(CancellationToken cancellationToken)
    {
        if (_column >= 0)
        {
            await FlushRowAsync(cancellationToken);
        }

        _column = 0;
    }

    public void Write(string? value) => Next().Value = (object?)value ?? DBNull.Value;

    public void Write(long value) => Next().Value = value;

    public void Write(int value) => Next().Value = value;

    public void Write(decimal? value) =>
        Next().Value = value is { } d ? d.ToString(CultureInfo.InvariantCulture) : DBNull.Value;

    public void Write(DateOnly value) => Next().Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Write(DateTimeOffset value) => Next().Value = value.ToUniversalTime();

    public void WriteNull() => Next().Value = DBNull.Value;

    public async ValueTask<long> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_column >= 0)
        {
            await FlushRowAsync(cancellationToken);
            _column = -1;
        }

        return _rows;
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();

    private SqliteParameter Next()
    {
        if (_column < 0 || _column >= _parameters.Length)
        {
            throw new InvalidOperationException($"Bulk insert: StartRowAsync first, then exactly {_parameters.Length} values per row.");
        }

        return _parameters[_column++];
    }

    private async ValueTask FlushRowAsync(CancellationToken cancellationToken)
    {
        if (_column != _parameters.Length)
        {
            throw new InvalidOperationException($"Bulk insert: row {_rows + 1} has {_column} values, expected {_parameters.Length}.");
        }

        await _command.ExecuteNonQueryAsync(cancellationToken);
        _rows++;
    }

    private static SqliteType ToSqliteType(BulkColumnType type) => type switch
    {
        BulkColumnType.BigInt or BulkColumnType.Integer => SqliteType.Integer,
        _ => SqliteType.Text,
    };
}
