namespace MarketSpine.Core.Contracts;

/// <summary>
/// One page of executions, newest first. <see cref="NextCursor"/> fetches the next (older) page and is
/// null on the last one; pages stay stable while new executions arrive.
/// </summary>
public sealed record ExecutionPage(IReadOnlyList<ExecutionView> Items, string? NextCursor);
