namespace MarketSpine.Core.Contracts;

/// <summary>One page of dead letters, newest first; <see cref="NextCursor"/> fetches the next, null on the last page.</summary>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetterView> Items, string? NextCursor);
