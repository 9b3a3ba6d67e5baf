namespace MarketSpine.Core.Execution;

/// <summary>
/// One row of an execution's history: <paramref name="Sequence"/> numbers the events of one
/// execution from 1 without gaps, so a reader resumes after the last one it saw.
/// </summary>
public sealed record ExecutionEvent(
    string ExecutionId,
    long Sequence,
    string Type,
    DateTimeOffset At,
    int Attempt,
    IReadOnlyDictionary<string, string> Data);
