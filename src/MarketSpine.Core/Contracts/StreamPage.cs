namespace MarketSpine.Core.Contracts;

/// <summary>
/// Events or log lines read without streaming (no <c>Accept: text/event-stream</c>): the rows after
/// <c>after</c>, and the sequence to pass as <c>after</c> for the next ones.
/// </summary>
public sealed record StreamPage<T>(IReadOnlyList<T> Items, long NextAfter, bool Ended);
