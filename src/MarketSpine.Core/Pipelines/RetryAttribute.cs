using MarketSpine.Core.Execution;

namespace MarketSpine.Core.Pipelines;

/// <summary>
/// A pipeline's retry policy: up to <see cref="MaxAttempts"/> attempts, exponential backoff with
/// jitter between them, for errors with the transient codes (<see cref="RetryPolicy.TransientCodes"/>).
/// A submission may override it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RetryAttribute(int maxAttempts) : Attribute
{
    public int MaxAttempts { get; } = maxAttempts;

    public double InitialBackoffSeconds { get; init; } = 1;

    public double MaxBackoffSeconds { get; init; } = 300;

    public RetryPolicy ToPolicy() =>
        new(MaxAttempts, TimeSpan.FromSeconds(InitialBackoffSeconds), TimeSpan.FromSeconds(MaxBackoffSeconds), RetryPolicy.TransientCodes);
}
