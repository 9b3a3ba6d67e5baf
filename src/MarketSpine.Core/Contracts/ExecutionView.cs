using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Quality;

namespace MarketSpine.Core.Contracts;

/// <summary>An execution as the API and the CLI's JSON show it (snake_case through <see cref="SpineJson"/>).</summary>
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

