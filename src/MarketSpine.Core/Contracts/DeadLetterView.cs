using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;

namespace MarketSpine.Core.Contracts;

/// <summary>A dead letter: an execution that used up its attempts, with its last error.</summary>
public sealed record DeadLetterView(
    string DeadLetterId,
    string ExecutionId,
    string Pipeline,
    IReadOnlyDictionary<string, string> Params,
    string Lane,
    string? LogicalKey,
    int Attempts,
    ErrorInfo Error,
    DateTimeOffset DeadLetteredAt,
    string Status,
    string? RetriedAs,
    DateTimeOffset? ResolvedAt)
{
    public static DeadLetterView From(DeadLetter d) => new(
        d.DeadLetterId, d.ExecutionId, d.Pipeline, d.Parameters, d.Lane.ToString().ToLowerInvariant(), d.LogicalKey, d.Attempts, d.Error,
        d.DeadLetteredAt, d.Status.ToString().ToLowerInvariant(), d.RetriedAs, d.ResolvedAt);
}

