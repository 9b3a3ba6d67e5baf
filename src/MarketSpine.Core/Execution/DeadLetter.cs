using MarketSpine.Core.Errors;

namespace MarketSpine.Core.Execution;

/// <summary>
/// An execution that exhausted its attempts, kept with its last error until someone retries it (a
/// new execution linked to this one) or discards it.
/// </summary>
public sealed record DeadLetter(
    string DeadLetterId,
    string ExecutionId,
    string Pipeline,
    IReadOnlyDictionary<string, string> Parameters,
    Lane Lane,
    string? LogicalKey,
    int Attempts,
    ErrorInfo Error,
    DateTimeOffset DeadLetteredAt,
    DeadLetterStatus Status,
    string? RetriedAs,
    DateTimeOffset? ResolvedAt);
