namespace MarketSpine.Core.Execution;

/// <summary>How far a running execution is, as its pipeline last reported.</summary>
public sealed record ExecutionProgress(string CurrentStep, long Completed, long? Total)
{
    public double? Percent => Total is > 0 ? Math.Round(100.0 * Completed / Total.Value, 1) : null;
}
