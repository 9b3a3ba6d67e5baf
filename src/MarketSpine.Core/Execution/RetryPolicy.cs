using MarketSpine.Core.Errors;

namespace MarketSpine.Core.Execution;

/// <summary>
/// How often a failed execution is tried again, and how long it waits between attempts: exponential
/// backoff from <see cref="InitialBackoff"/>, capped at <see cref="MaxBackoff"/>, with full jitter
/// (a random delay up to the backoff, as AWS's analysis recommends) so retries of many executions
/// that failed together spread out. Only errors whose code is retryable are retried.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialBackoff, TimeSpan MaxBackoff, IReadOnlyList<string> RetryableCodes)
{
    /// <summary>The codes of transient failures: a source that could not be read, a load that failed, a lost silo, an internal error.</summary>
    public static readonly IReadOnlyList<string> TransientCodes =
        [ErrorCodes.SourceUnreadable, ErrorCodes.LoadFailed, ErrorCodes.Orphaned, ErrorCodes.Internal, ErrorCodes.Timeout];

    /// <summary>One attempt: failures go straight to the dead letters.</summary>
    public static readonly RetryPolicy None = new(1, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), TransientCodes);

    public bool IsRetryable(string errorCode) => RetryableCodes.Contains(errorCode, StringComparer.Ordinal);

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2 or more).</summary>
    public TimeSpan BackoffBefore(int nextAttempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var exponent = Math.Min(nextAttempt - 2, 30);
        var ceiling = Math.Min(MaxBackoff.Ticks, InitialBackoff.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(ceiling * random.NextDouble()));
    }

    public void Validate()
    {
        if (MaxAttempts < 1 || MaxAttempts > 100)
        {
            throw new ValidationError($"max_attempts must be between 1 and 100, not {MaxAttempts}.", [new ValidationProblem("max_attempts", "out_of_range", "between 1 and 100")]);
        }

        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ValidationError("The backoff must be non-negative, and its maximum no smaller than its start.",
                [new ValidationProblem("backoff", "out_of_range", "non-negative, maximum at least the start")]);
        }
    }
}
