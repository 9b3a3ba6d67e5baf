using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Quality;

namespace MarketSpine.Core.Execution;

/// <summary>One execution as stored: what was asked, what happened, and the result envelope's fields.</summary>
public sealed record ExecutionRecord(
    string ExecutionId,
    string Pipeline,
    IReadOnlyDictionary<string, string> Parameters,
    ExecutionStatus Status,
    Lane Lane,
    TriggerSource TriggerSource,
    string? LogicalKey,
    string? IdempotencyKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyList<QualityResult> Quality,
    long RejectCount,
    ErrorInfo? Error)
{
    public TimeSpan? Duration => StartedAt is { } started && CompletedAt is { } completed ? completed - started : null;

    /// <summary>The current attempt, from 1 once the first attempt starts (0 before).</summary>
    public int Attempt { get; init; }

    /// <summary>How many attempts the retry policy allows.</summary>
    public int MaxAttempts { get; init; } = 1;

    /// <summary>The execution that submitted this one (a backfill's child), if any.</summary>
    public string? ParentExecutionId { get; init; }

    /// <summary>The dead-lettered execution this one retries, if any.</summary>
    public string? RetryOf { get; init; }

    public DateTimeOffset? QueuedAt { get; init; }

    /// <summary>When a failed execution's next attempt is due; null when none is planned.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The pipeline's last progress report.</summary>
    public ExecutionProgress? Progress { get; init; }

    /// <summary>The retry policy this execution runs under (the pipeline's, or the submission's override).</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>How long one attempt may run.</summary>
    public TimeSpan? RunTimeout { get; init; }

    /// <summary>Bumped by every change: a writer that read an older version is refused (optimistic concurrency).</summary>
    public long Version { get; init; }

    /// <summary>Events appended so far; the next event's sequence is one more.</summary>
    public long EventCount { get; init; }

    /// <summary>
    /// Whether the execution has its durable watchdog (a reminder that finds it orphaned should its silo
    /// die). A short execution ends without ever needing one; the runtime gives one to every execution
    /// still unfinished a watchdog period after its last change.
    /// </summary>
    public bool Watched { get; init; }

    /// <summary>Whether no further status change can happen.</summary>
    public bool IsTerminal => Status is ExecutionStatus.Completed or ExecutionStatus.Cancelled or ExecutionStatus.DeadLettered;
}
