using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Execution;

/// <summary>
/// Filters for listing executions, newest first. <see cref="Before"/> is the keyset cursor: the id
/// of the last execution of the previous page (ids sort by creation time), so pages stay stable
/// while new executions arrive.
/// </summary>
public sealed record ExecutionQuery(
    ExecutionStatus? Status = null,
    string? Pipeline = null,
    DateTimeOffset? Since = null,
    int Limit = 50)
{
    public string? LogicalKey { get; init; }

    public DateTimeOffset? Until { get; init; }

    public string? Before { get; init; }

    public string? ParentExecutionId { get; init; }
}
