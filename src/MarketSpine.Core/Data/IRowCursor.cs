namespace MarketSpine.Core.Data;

/// <summary>
/// A forward-only reader of typed columns, for streaming hundreds of thousands of rows. Unlike
/// <see cref="System.Data.Common.DbDataReader"/> it may hand back the same string instance for a
/// repeated value (a venue name on 50,000 rows), which is what makes reading a week back from
/// SQLite cheap.
/// </summary>
public interface IRowCursor : IAsyncDisposable
{
    ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    bool IsNull(int ordinal);

    long GetInt64(int ordinal);

    int GetInt32(int ordinal);

    string GetString(int ordinal);

    DateOnly GetDate(int ordinal);
}
