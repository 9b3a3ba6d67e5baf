namespace MarketSpine.Core.Execution;

/// <summary>
/// One write of an execution: its new state, which must replace the stored row at
/// <paramref name="ExpectedVersion"/>, the events it appends (at least one for a status change), and
/// the dead letter it files when it exhausts its attempts. All of it commits in one transaction, or
/// none of it.
/// </summary>
public sealed record ExecutionChange(ExecutionRecord Record, long ExpectedVersion, IReadOnlyList<ExecutionEvent> Events, DeadLetter? DeadLetter = null);
