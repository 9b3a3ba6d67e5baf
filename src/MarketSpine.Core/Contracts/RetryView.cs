using MarketSpine.Core.Execution;

namespace MarketSpine.Core.Contracts;

/// <summary>A pipeline's retry policy: attempts, backoff bounds and the error codes it retries.</summary>
public sealed record RetryView(int MaxAttempts, double InitialBackoffSeconds, double MaxBackoffSeconds, IReadOnlyList<string> RetryableCodes)
{
    public static RetryView From(RetryPolicy policy) =>
        new(policy.MaxAttempts, policy.InitialBackoff.TotalSeconds, policy.MaxBackoff.TotalSeconds, policy.RetryableCodes);
}
