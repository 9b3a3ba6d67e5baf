namespace MarketSpine.Core.Errors;

/// <summary>
/// The server refuses new work for now, and the same request may succeed after
/// <see cref="RetryAfter"/>: the API answers 429 with a <c>Retry-After</c> header, the CLI exits 1.
/// </summary>
public sealed class BusyError(string code, string message, TimeSpan retryAfter, IReadOnlyDictionary<string, object?>? details = null)
    : SpineError(code, message, details)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
