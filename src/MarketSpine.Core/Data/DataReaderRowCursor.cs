using System.Data.Common;

namespace MarketSpine.Core.Data;

/// <summary>An <see cref="IRowCursor"/> over an ADO.NET reader: the portable path (PostgreSQL's reader is already fast).</summary>
public sealed class DataReaderRowCursor(DbCommand command, DbDataReader reader) : IRowCursor
{
    public static async ValueTask<IRowCursor> OpenAsync(DbConnection connection, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        var command = connection.Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.WithParameter(name, value);
        }

        try
        {
            return new DataReaderRowCursor(command, await command.ExecuteReaderAsync(cancellationToken));
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    // Checked here too: Npgsql cancels on the server, and rows already buffered would keep coming.
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await reader.ReadAsync(cancellationToken);
    }

    public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);

    public long GetInt64(int ordinal) => reader.GetInt64(ordinal);

    public int GetInt32(int ordinal) => reader.GetInt32(ordinal);

    public string GetString(int ordinal) => reader.GetString(ordinal);

    public DateOnly GetDate(int ordinal) => reader.GetFieldValue<DateOnly>(ordinal);

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await command.DisposeAsync();
    }
}
