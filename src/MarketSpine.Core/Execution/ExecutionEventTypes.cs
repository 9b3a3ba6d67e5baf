namespace MarketSpine.Core.Execution;

/// <summary>
/// The <c>execution_events.event_type</c> vocabulary. Every status change appends exactly one event
/// in the transaction that changes the status; progress and stage events record what happened
/// within a run.
/// </summary>
public static class ExecutionEventTypes
{
    public const string Created = "created";
    public const string Queued = "queued";
    public const string Started = "started";
    public const string Progress = "progress";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>A failed execution goes back to the queue for another attempt.</summary>
    public const string Retried = "retried";
    public const string DeadLettered = "dead_lettered";

    /// <summary>Cancellation was asked of a running execution (status cancelling).</summary>
    public const string CancelRequested = "cancel_requested";
    public const string Cancelled = "cancelled";

    /// <summary>The silo running the attempt died; the attempt failed with <see cref="Errors.ErrorCodes.Orphaned"/>.</summary>
    public const string Orphaned = "orphaned";

    /// <summary>
    /// The silo running the attempt stopped cleanly: it stopped the pipeline and queued the execution
    /// again without counting the attempt, for another silo to run.
    /// </summary>
    public const string Requeued = "requeued";
    public const string StageStarted = "stage_started";
    public const string StageCompleted = "stage_completed";
    public const string StageFailed = "stage_failed";
}
