namespace MarketSpine.Core.Contracts;

/// <summary>A logical key: who holds it since when, and who waits for it, first in line first.</summary>
public sealed record KeyView(string Key, string? Holder, DateTimeOffset? HeldSince, IReadOnlyList<string> Waiters);
