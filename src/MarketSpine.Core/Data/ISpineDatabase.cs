using System.Data.Common;

namespace MarketSpine.Core.Data;

/// <summary>
/// The store as domains see it: connections and bulk loading, nothing provider-specific.
/// Domains depend on Core only, so this is the seam through which they reach SQLite or PostgreSQL.
/// </summary>
public interface ISpineDatabase
{
    SqlDialect Dialect { get; }

    /// <summary>A short description of where the data lives (a file path, a host and database), for messages.</summary>
    string Location { get; }

    /// <summary>Opens a new connection; the caller disposes it.</summary>
    ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs a query on <paramref name="connection"/> and streams its rows. Parameters bind by name
    /// (<c>@name</c>). The caller disposes the cursor before the connection.
    /// </summary>
    ValueTask<IRowCursor> OpenCursorAsync(
        DbConnection connection,
        string sql,
        IReadOnlyDictionary<string, object?> parameters,
        CancellationToken cancellationToken);

    /// <summary>
    /// Starts a bulk insert into <paramref name="table"/> on <paramref name="connection"/>, inside
    /// <paramref name="transaction"/> where the provider needs one (SQLite). PostgreSQL uses binary COPY.
    /// </summary>
    ValueTask<IBulkInsert> BeginBulkInsertAsync(
        DbConnection connection,
        DbTransaction transaction,
        string table,
        IReadOnlyList<BulkColumn> columns,
        CancellationToken cancellationToken);
}
