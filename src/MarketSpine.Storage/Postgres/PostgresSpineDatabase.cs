using System.Data.Common;
using MarketSpine.Core.Data;
using Npgsql;

namespace MarketSpine.Storage.Postgres;

/// <summary>The team store: PostgreSQL through one <see cref="NpgsqlDataSource"/> per process (Npgsql's advice).</summary>
public sealed class PostgresSpineDatabase(NpgsqlDataSource dataSource) : ISpineDatabase, IAsyncDisposable
{
    public PostgresSpineDatabase(string connectionString)
        : this(NpgsqlDataSource.Create(connectionString))
    {
    }

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public SqlDialect Dialect => SqlDialect.Postgres;

    public string Location
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(DataSource.ConnectionString);
            return $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
        }
    }

    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask<IRowCursor> OpenCursorAsync(
        DbConnection connection, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        // Npgsql ignores a parameter the SQL never names, and PostgreSQL then reads the unbound
        // '@id' as the prefix operator @ (absolute value) on column id: a misspelt name silently
        // changes the query. Refused here as the SQLite cursor refuses it (RowCursorTests).
        foreach (var name in parameters.Keys)
        {
            if (!NamesPlaceholder(sql, name))
            {
                throw new ArgumentException($"Query has no parameter {name}: {sql}", nameof(parameters));
            }
        }

        return DataReaderRowCursor.OpenAsync(connection, sql, parameters, cancellationToken);
    }

    public async ValueTask<IBulkInsert> BeginBulkInsertAsync(
        DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn> columns, CancellationToken cancellationToken)
    {
        var copy = $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";
        var importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(copy, cancellationToken);
        return new PostgresBulkInsert(importer, columns);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private static bool NamesPlaceholder(string sql, string name)
    {
        for (var at = sql.IndexOf(name, StringComparison.Ordinal); at >= 0; at = sql.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            var end = at + name.Length;
            if (end == sql.Length || !(char.IsLetterOrDigit(sql[end]) || sql[end] is '_' or '$'))
            {
                return true;
            }
        }

        return false;
    }
}
