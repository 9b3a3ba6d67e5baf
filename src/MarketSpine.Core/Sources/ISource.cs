namespace MarketSpine.Core.Sources;

/// <summary>
/// The one source protocol: something that yields records as a stream, so a pipeline reads a
/// 30 MB file or a table with flat memory. Failures are <see cref="Errors.SourceError"/>s that
/// name the source, line and field.
/// </summary>
public interface ISource<out TRecord>
{
    /// <summary>What is being read (a file path, a query), used in every error message.</summary>
    string Name { get; }

    IAsyncEnumerable<TRecord> ReadAsync(CancellationToken cancellationToken);
}
