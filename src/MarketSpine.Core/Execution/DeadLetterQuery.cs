namespace MarketSpine.Core.Execution;

/// <summary>Filters for listing dead letters, newest first; <see cref="Before"/> is the id of the last one of the previous page.</summary>
public sealed record DeadLetterQuery(DeadLetterStatus? Status = DeadLetterStatus.Open, string? Pipeline = null, int Limit = 50, string? Before = null);
