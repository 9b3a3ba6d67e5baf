using MarketSpine.Core.Execution;

namespace MarketSpine.Core.Contracts;

/// <summary>One event of an execution's history.</summary>
public sealed record EventView(string ExecutionId, long Seq, string Type, DateTimeOffset At, int Attempt, IReadOnlyDictionary<string, string> Data)
{
    public static EventView From(ExecutionEvent e) => new(e.ExecutionId, e.Sequence, e.Type, e.At, e.Attempt, e.Data);
}

