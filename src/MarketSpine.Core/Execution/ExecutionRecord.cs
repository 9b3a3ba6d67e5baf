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
}
