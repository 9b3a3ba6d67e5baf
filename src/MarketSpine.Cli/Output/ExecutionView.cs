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
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    long? DurationMs,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyList<QualityResult> Quality,
    long RejectCount,
    ErrorInfo? Error)
{
    public static ExecutionView From(ExecutionRecord r) => new(
        r.ExecutionId, r.Pipeline, r.Status.ToText(), r.Parameters, r.Lane.ToString().ToLowerInvariant(), r.TriggerSource.ToString().ToLowerInvariant(),
        r.LogicalKey, r.IdempotencyKey, r.CreatedAt, r.StartedAt, r.CompletedAt, (long?)r.Duration?.TotalMilliseconds,
        r.Metrics, r.Outputs, r.Quality, r.RejectCount, r.Error);
}
