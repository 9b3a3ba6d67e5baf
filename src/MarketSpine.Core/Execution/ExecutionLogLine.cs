namespace MarketSpine.Core.Execution;

/// <summary>A log line a pipeline wrote during an execution; <see cref="Sequence"/> orders an execution's lines from 1.</summary>
public sealed record ExecutionLogLine(string ExecutionId, long Sequence, DateTimeOffset At, int Attempt, string Level, string Message);
