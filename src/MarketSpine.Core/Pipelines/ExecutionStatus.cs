namespace MarketSpine.Core.Pipelines;

/// <summary>
/// States of an execution. The Basic tier uses pending → running → completed | failed; the
/// runtime tiers add queued, cancelling, cancelled and dead_lettered. Stored as lower-case text.
/// </summary>
public enum ExecutionStatus
{
    Pending,
    Queued,
    Running,
    Completed,
    Failed,
    Cancelling,
    Cancelled,
    DeadLettered,
}
