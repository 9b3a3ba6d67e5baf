namespace MarketSpine.Core.Pipelines;

/// <summary>The stored and wire spelling of <see cref="ExecutionStatus"/> (<c>dead_lettered</c>, ...).</summary>
public static class ExecutionStatusText
{
    public static string ToText(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.Pending => "pending",
        ExecutionStatus.Queued => "queued",
        ExecutionStatus.Running => "running",
        ExecutionStatus.Completed => "completed",
        ExecutionStatus.Failed => "failed",
        ExecutionStatus.Cancelling => "cancelling",
        ExecutionStatus.Cancelled => "cancelled",
        ExecutionStatus.DeadLettered => "dead_lettered",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string text, out ExecutionStatus status)
    {
        foreach (var candidate in Enum.GetValues<ExecutionStatus>())
        {
            if (string.Equals(candidate.ToText(), text, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    public static ExecutionStatus Parse(string text) =>
        TryParse(text, out var status) ? status : throw new FormatException($"Unknown execution status '{text}'.");

    public static bool IsTerminal(this ExecutionStatus status) =>
        status is ExecutionStatus.Completed or ExecutionStatus.Failed or ExecutionStatus.Cancelled or ExecutionStatus.DeadLettered;
}
