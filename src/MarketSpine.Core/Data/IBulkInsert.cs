namespace MarketSpine.Core.Data;

/// <summary>
/// A streaming writer of rows: start a row, write each column in declared order, repeat, then
/// complete. Not completing (disposing early) abandons the rows, which with the surrounding
/// transaction rolled back leaves nothing behind.
/// </summary>
public interface IBulkInsert : IAsyncDisposable
{
    ValueTask StartRowAsync(CancellationToken cancellationToken);

    void Write(string? value);

    void Write(long value);

    void Write(int value);

    void Write(decimal? value);

    void Write(DateOnly value);

    void Write(DateTimeOffset value);

    void WriteNull();

    /// <summary>Flushes the last rows and returns how many were written.</summary>
    ValueTask<long> CompleteAsync(CancellationToken cancellationToken);
}
