using MarketSpine.Core.Errors;
using MarketSpine.Core.Quality;

namespace MarketSpine.Core.Pipelines;

/// <summary>The result envelope of one run, the same for every pipeline and every surface.</summary>
public sealed record PipelineResult(
    ExecutionStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyList<QualityResult> Quality,
    long RejectCount,
    ErrorInfo? Error)
{
    public TimeSpan Duration => CompletedAt - StartedAt;
}
