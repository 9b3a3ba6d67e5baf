namespace MarketSpine.Domains.Otc.Parsing;

/// <summary>
/// Entry points for parsing FINRA's weekly download from a stream. Single pass: enumerating
/// twice reads a stream that was already consumed. The caller owns (and disposes) the stream.
/// </summary>
public static class FinraWeeklyParser
{
    /// <summary>Rows of the file in order; errors are <see cref="Core.Errors.SourceError"/>s thrown during enumeration.</summary>
    public static IEnumerable<FinraWeeklyRow> Parse(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        return Iterate(stream, sourceName);
    }

    /// <inheritdoc cref="Parse"/>
    public static IAsyncEnumerable<FinraWeeklyRow> ParseAsync(Stream stream, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        return IterateAsync(stream, sourceName, cancellationToken);
    }

    private static IEnumerable<FinraWeeklyRow> Iterate(Stream stream, string sourceName)
    {
        using var reader = new FinraWeeklyReader(stream, sourceName, leaveOpen: true);
        while (reader.TryRead(out var row))
        {
            yield return row;
        }
    }

    private static async IAsyncEnumerable<FinraWeeklyRow> IterateAsync(
        Stream stream,
        string sourceName,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new FinraWeeklyReader(stream, sourceName, leaveOpen: true);
        await foreach (var row in reader.ReadAllAsync(cancellationToken))
        {
            yield return row;
        }
    }
}
