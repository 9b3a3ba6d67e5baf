using MarketSpine.Actors.Grains;
using MarketSpine.Core.Execution;

namespace MarketSpine.Grains.Executions;

/// <summary>
/// What the dispatcher hands an execution grain: a request already validated against its pipeline's
/// spec, with the parameters normalized, and the retry policy and run timeout resolved. Immutable: the
/// dispatcher builds one per submission and lets go of it, so a call in the silo passes it by reference.
/// </summary>
[Immutable]
public sealed record ExecutionSubmission(
    string Pipeline,
    IReadOnlyDictionary<string, string> Parameters,
    Lane Lane,
    TriggerSource TriggerSource,
    string? LogicalKey,
    string? IdempotencyKey,
    KeyPolicy KeyPolicy,
    RetryPolicy Retry,
    TimeSpan RunTimeout,
    string? ParentExecutionId,
    string? RetryOf);
