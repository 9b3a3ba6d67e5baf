using System.Data.Common;
using MarketSpine.Core.Data;

namespace MarketSpine.Benchmarks.PgLoad;

/// <summary>
/// PostgreSQL for everything but one table's bulk insert, which goes to a CSV file instead
/// (<see cref="CsvBulkInsert"/>). Running the production load through it yields psql's input
/// and the column list our COPY names, without the benchmark restating either.
/// </summary>
public sealed class CsvDivertingDatabase(ISpineDatabase inner, string divertedTable, string path) : ISpineDatabase
{
    /// <summary>The columns the production code bulk-inserted into the table, once it has.</summary>
    public IReadOnlyList<BulkColumn>? Columns { get; private set; }

    public SqlDialect Dialect => inner.Dialect;

    public string Location => inner.Location;

    public ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => inner.OpenConnectionAsync(cancellationToken);

    public ValueTask<IRowCursor> OpenCursorAsync(
        DbConnection connection, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken) =>
        inner.OpenCursorAsync(connection, sql, parameters, cancellationToken);

    public ValueTask<IBulkInsert> BeginBulkInsertAsync(
        DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn> columns, CancellationToken cancellationToken)
    {
        if (!string.Equals(table, divertedTable, StringComparison.Ordinal))
        {
            return inner.BeginBulkInsertAsync(connection, transaction, table, columns, cancellationToken);
        }

        Columns = columns;
        return ValueTask.FromResult<IBulkInsert>(new CsvBulkInsert(path, columns.Count));
    }
}
