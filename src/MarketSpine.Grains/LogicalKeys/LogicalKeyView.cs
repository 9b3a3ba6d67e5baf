namespace MarketSpine.Grains.LogicalKeys;

/// <summary>Who holds a logical key, since when, and who waits for it, first in line first.</summary>
public sealed record LogicalKeyView(string Key, string? Holder, DateTimeOffset? HeldSince, IReadOnlyList<string> Waiters);
