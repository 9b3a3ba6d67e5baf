using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Quality;

namespace MarketSpine.Cli.Output;

/// <summary>An execution as the CLI's JSON shows it (snake_case through <see cref="SpineJson"/>).</summary>
public sealed record ExecutionView(
    string ExecutionId,
    string Pipeline,
    string Status,
    IReadOnlyDictionary<string, string> Params,
    string Lane,
    string TriggerSource,
    string? LogicalKey,
    string? IdempotencyKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    long? DurationMs,
    int Attempt,
    int MaxAttempts,
    DateTimeOffset? NextAttemptAt,
    ProgressView? Progress,
    string? RetryOf,
    string? ParentExecutionId,
    string? DeadLetterId,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyList<QualityResult> Quality,
    long RejectCount,
    ErrorInfo? Error)
{
    public static ExecutionView From(ExecutionRecord r, string? deadLetterId = null) => new(
        r.ExecutionId, r.Pipeline, r.Status.ToText(), r.Parameters, r.Lane.ToString().ToLowerInvariant(), r.TriggerSource.ToString().ToLowerInvariant(),
        r.LogicalKey, r.IdempotencyKey, r.CreatedAt, r.QueuedAt, r.StartedAt, r.CompletedAt, (long?)r.Duration?.TotalMilliseconds,
        r.Attempt, r.MaxAttempts, r.NextAttemptAt, ProgressView.From(r.Progress), r.RetryOf, r.ParentExecutionId, deadLetterId,
        r.Metrics, r.Outputs, r.Quality, r.RejectCount, r.Error);
}

/// <summary>A running execution's last progress report.</summary>
public sealed record ProgressView(string CurrentStep, long Completed, long? Total, double? Percent)
{
    public static ProgressView? From(ExecutionProgress? progress) =>
        progress is null ? null : new(progress.CurrentStep, progress.Completed, progress.Total, progress.Percent);
}

/// <summary>One event of an execution's history.</summary>
public sealed record EventView(string ExecutionId, long Seq, string Type, DateTimeOffset At, int Attempt, IReadOnlyDictionary<string, string> Data)
{
    public static EventView From(ExecutionEvent e) => new(e.ExecutionId, e.Sequence, e.Type, e.At, e.Attempt, e.Data);
}

/// <summary>One stored log line of an execution.</summary>
public sealed record LogLineView(string ExecutionId, long Seq, DateTimeOffset At, int Attempt, string Level, string Message)
{
    public static LogLineView From(ExecutionLogLine l) => new(l.ExecutionId, l.Sequence, l.At, l.Attempt, l.Level, l.Message);
}

/// <summary>A dead letter: an execution that used up its attempts, with its last error.</summary>
public sealed record DeadLetterView(
    string DeadLetterId,
    string ExecutionId,
    string Pipeline,
    IReadOnlyDictionary<string, string> Params,
    string Lane,
    string? LogicalKey,
    int Attempts,
    ErrorInfo Error,
    DateTimeOffset DeadLetteredAt,
    string Status,
    string? RetriedAs,
    DateTimeOffset? ResolvedAt)
{
    public static DeadLetterView From(DeadLetter d) => new(
        d.DeadLetterId, d.ExecutionId, d.Pipeline, d.Parameters, d.Lane.ToString().ToLowerInvariant(), d.LogicalKey, d.Attempts, d.Error,
        d.DeadLetteredAt, d.Status.ToString().ToLowerInvariant(), d.RetriedAs, d.ResolvedAt);
}

/// <summary>A logical key: who holds it since when, and who waits for it, first in line first.</summary>
public sealed record KeyView(string Key, string? Holder, DateTimeOffset? HeldSince, IReadOnlyList<string> Waiters);
