using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Reminders;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Grains.Executions;

/// <summary>
/// One execution (the grain's key is its id): the only writer of its row and events. It moves the
/// execution through <c>pending → queued → running → completed</c>, <c>→ failed → dead_lettered</c>
/// and <c>running → cancelling → cancelled</c>, runs attempts on its silo's lane pool, retries by
/// policy, and, once it has gone a watchdog period unfinished, keeps a durable watchdog until it ends,
/// so that no execution stays unfinished when a silo dies. Its methods answer rather than throw the
/// errors a caller acts on: an exception crossing silos keeps its message but not its type.
/// </summary>
public interface IExecutionGrain : IGrainWithStringKey, IRemindable
{
    /// <summary>
    /// Creates the execution and queues it (or, under the skip policy with its key held, ends it
    /// cancelled). Idempotent: submitting again returns the execution as it is. Under the reject
    /// policy with the key held it stores nothing and answers who holds the key.
    /// </summary>
    Task<SubmitOutcome> SubmitAsync(ExecutionSubmission submission);

    /// <summary>The execution as this grain last wrote it; null when it was never submitted.</summary>
    [ReadOnly]
    Task<ExecutionRecord?> GetAsync();

    /// <summary>
    /// Cancels: a queued or retry-waiting execution ends cancelled at once; a running one becomes
    /// cancelling, its pipeline's token is cancelled, and it ends cancelled when the pipeline stops (or
    /// is abandoned after the stop grace). An execution that has ended is returned as it is; null when
    /// it was never submitted.
    /// </summary>
    Task<ExecutionRecord?> CancelAsync(string reason);

    /// <summary>
    /// Asked by the sweeper of an execution that has gone a watchdog period unfinished without a watchdog:
    /// registers one, notes it on the row, and checks at once what a tick would (an attempt whose silo
    /// died is found orphaned, a lost turn in the lane pool queued again). Does nothing to an execution
    /// that has ended.
    /// </summary>
    Task WatchAsync();

    /// <summary>Told by the logical key grain that this execution holds <paramref name="key"/> now.</summary>
    Task OnKeyGrantedAsync(string key);

    /// <summary>
    /// Starts the attempt that the lane pool admitted under <paramref name="ticket"/>: marks the execution
    /// running and returns the attempt's number; null when the ticket is not this activation's (the work
    /// was queued by an earlier activation) or the execution is no longer queued.
    /// </summary>
    Task<int?> BeginAttemptAsync(Guid ticket);

    /// <summary>Stores the running pipeline's progress (and stage events when the step changes).</summary>
    Task ReportProgressAsync(int attempt, PipelineProgress progress);

    /// <summary>Ends an attempt with its result: completes, retries, dead-letters or cancels.</summary>
    Task FinishAttemptAsync(int attempt, PipelineResult result);
}
