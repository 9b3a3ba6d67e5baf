using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using MarketSpine.Core.Data;
using MarketSpine.Core.Errors;

namespace MarketSpine.Core.Sources;

/// <summary>
/// Reads the rows of a query as <see cref="SourceRecord"/>s, streaming them from a
/// <see cref="DbDataReader"/>: column names (mapped as <see cref="SqlSourceOptions.ColumnMap"/>
/// says) are the canonical names, the row's 1-based position is the line, and values are invariant
/// text. Each enumeration opens its own connection and disposes it at the end or when the
/// consumer stops early. A database failure is a <c>SOURCE_UNREADABLE</c> naming the query.
/// </summary>
public sealed class SqlSource : ISource<SourceRecord>
{
    private readonly Func<CancellationToken, ValueTask<DbConnection>> _openConnection;
    private readonly ColumnNames _names;

    /// <param name="openConnection">Returns a new connection, opened or not; the source disposes it.</param>
    /// <param name="sql">The query, with parameters named in <see cref="SqlSourceOptions.Parameters"/>.</param>
    /// <param name="options">Parameters and column mapping; none by default.</param>
    public SqlSource(Func<CancellationToken, ValueTask<DbConnection>> openConnection, string sql, SqlSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(openConnection);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        _openConnection = openConnection;
        Sql = sql;
        Options = options ?? new SqlSourceOptions();
        _names = new ColumnNames(Options.ColumnMap, Options.RequiredColumns);
        Name = sql.Split('\n').Select(l => l.Trim()).First(l => l.Length > 0);
    }

    /// <summary>Reads through the store's connections (SQLite or PostgreSQL).</summary>
    public SqlSource(ISpineDatabase database, string sql, SqlSourceOptions? options = null)
        : this(OpenWith(database), sql, options)
    {
    }

    /// <summary>The query's first non-blank line: enough to find it in the code, short enough for a message.</summary>
    public string Name { get; }

    public string Sql { get; }

    public SqlSourceOptions Options { get; }

    public async IAsyncEnumerable<SourceRecord> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        foreach (var (name, value) in Options.Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        await using var reader = await ExecuteAsync(command, cancellationToken);
        var columns = new string[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = reader.GetName(i);
        }

        var layout = ColumnLayout.Resolve(Name, columns, _names, null);
        long row = 0;
        while (await ReadRowAsync(reader, row + 1, cancellationToken))
        {
            row++;
            var values = new string?[columns.Length];
            try
            {
                // In column order: with SequentialAccess a column cannot be read after a later one.
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = SqlValueText.Format(reader.GetValue(i));
                }
            }
            catch (DbException exception)
            {
                throw Unreadable(exception, row);
            }

            yield return new SourceRecord(Name, row, layout, values, rawText: null, position: "row");
        }
    }

    private static Func<CancellationToken, ValueTask<DbConnection>> OpenWith(ISpineDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.OpenConnectionAsync;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection;
        try
        {
            connection = await _openConnection(cancellationToken);
        }
        catch (DbException exception)
        {
            throw Unreadable(exception, null);
        }

        try
        {
            if (connection.State != ConnectionState.Open)
            {
                await connection.OpenAsync(cancellationToken);
            }

            return connection;
        }
        catch (Exception exception)
        {
            // The connection is ours from the moment the factory returns it, failed open or not.
            await connection.DisposeAsync();
            if (exception is DbException database)
            {
                throw Unreadable(database, null);
            }

            throw;
        }
    }

    private async Task<DbDataReader> ExecuteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        try
        {
            // Sequential access streams wide rows (large text columns) instead of buffering each row whole.
            return await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        }
        catch (DbException exception)
        {
            throw Unreadable(exception, null);
        }
    }

    private async Task<bool> ReadRowAsync(DbDataReader reader, long row, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken);
        }
        catch (DbException exception)
        {
            throw Unreadable(exception, row);
        }
    }

    private SourceError Unreadable(DbException exception, long? row) =>
        new(ErrorCodes.SourceUnreadable,
            $"Query '{Name}' failed{(row is { } r ? $" at row {r}" : "")}: {exception.Message}",
            Name, row, null, exception);
}
