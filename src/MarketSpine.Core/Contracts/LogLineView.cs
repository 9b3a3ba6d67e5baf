using MarketSpine.Core.Execution;

namespace MarketSpine.Core.Contracts;

/// <summary>One stored log line of an execution.</summary>
public sealed record LogLineView(string ExecutionId, long Seq, DateTimeOffset At, int Attempt, string Level, string Message)
{
    public static LogLineView From(ExecutionLogLine l) => new(l.ExecutionId, l.Sequence, l.At, l.Attempt, l.Level, l.Message);
}

