namespace MarketSpine.Core.Execution;

/// <summary>Which worker pool runs an execution; each lane has its own concurrency bound.</summary>
public enum Lane
{
    Normal,
    Backfill,
    Slow,
}
