using MarketSpine.Actors.Grains;
using MarketSpine.Core.Execution;

namespace MarketSpine.Grains.Executions;

/// <summary>
/// What submitting to an execution grain did: the execution (created, or the one its idempotency key
/// names), or, under the reject policy, nothing, with the execution holding the key. An answer rather
/// than a thrown <see cref="Core.Errors.ConflictError"/>, because an error crossing silos arrives as
/// a <see cref="Actors.Errors.RemoteGrainException"/> and loses its code. Immutable: the grain replaces
/// its record on every change and never mutates one, so a call in the silo passes it by reference.
/// </summary>
[Immutable]
public sealed record SubmitOutcome(ExecutionRecord? Execution, string? RejectedBy);
