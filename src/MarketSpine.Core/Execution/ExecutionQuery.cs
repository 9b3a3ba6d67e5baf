using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Execution;

/// <summary>Filters for listing executions; newest first.</summary>
public sealed record ExecutionQuery(
    ExecutionStatus? Status = null,
    string? Pipeline = null,
    DateTimeOffset? Since = null,
    int Limit = 50);
