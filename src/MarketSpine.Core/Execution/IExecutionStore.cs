namespace MarketSpine.Core.Execution;

/// <summary>
/// Where executions live: the <c>executions</c> row, its <c>execution_events</c>, its log lines and
/// the dead letters. Only an execution's grain writes its row and events (single writer); every
/// write checks the version it read, so a stale writer (a grain whose silo was declared dead) is
/// refused with <see cref="Errors.InvalidStateError"/> instead of overwriting a newer state.
/// </summary>
public interface IExecutionStore
{
    /// <summary>
    /// Inserts new executions with their first events in one round trip (the submissions a silo makes at
    /// the same moment), all in one transaction: per execution, in order, null when it was stored, or,
    /// when its id is already stored (the same execution, submitted again) or its idempotency key already
    /// used, the execution that holds it (and nothing of it is stored).
    /// </summary>
    Task<IReadOnlyList<ExecutionRecord?>> CreateAllAsync(IReadOnlyList<NewExecution> executions, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/> in one transaction; throws <see cref="Errors.InvalidStateError"/> when the stored version moved on.</summary>
    Task ApplyAsync(ExecutionChange change, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="ApplyAsync"/> for changes of different executions in one round trip, all in one
    /// transaction, each applied or not by its own version: per change, in order, whether it was applied
    /// (when not, nothing of it is written).
    /// </summary>
    Task<IReadOnlyList<bool>> ApplyAllAsync(IReadOnlyList<ExecutionChange> changes, CancellationToken cancellationToken);

    /// <summary>
    /// The unfinished executions without a durable watchdog (<see cref="ExecutionRecord.Watched"/>) whose
    /// last change is older than <paramref name="changedBefore"/>, oldest first, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<string>> ListUnwatchedAsync(DateTimeOffset changedBefore, int limit, CancellationToken cancellationToken);

    /// <summary>How many executions wait to start (pending or queued), on every silo: the backlog that admission bounds.</summary>
    Task<long> CountNotStartedAsync(CancellationToken cancellationToken);

    Task<ExecutionRecord?> FindAsync(string executionId, CancellationToken cancellationToken);

    /// <summary><see cref="FindAsync"/> for several executions in one round trip: per id, in order, the execution or null.</summary>
    Task<IReadOnlyList<ExecutionRecord?>> FindAllAsync(IReadOnlyList<string> executionIds, CancellationToken cancellationToken);

    Task<ExecutionRecord?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken);

    Task<IReadOnlyList<ExecutionRecord>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken);

    /// <summary>Events after <paramref name="afterSequence"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ExecutionEvent>> EventsAsync(string executionId, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Appends log lines, numbering them on from the execution's last (their own <see cref="ExecutionLogLine.Sequence"/>
    /// is ignored: pass 0), and keeps at most
    /// <paramref name="keep"/> lines per execution, dropping the oldest.
    /// </summary>
    Task AppendLogsAsync(string executionId, IReadOnlyList<ExecutionLogLine> lines, int keep, CancellationToken cancellationToken);

    Task<IReadOnlyList<ExecutionLogLine>> LogsAsync(string executionId, long afterSequence, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken);

    Task<DeadLetter?> FindDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken);

    /// <summary>Per execution id, in order, the id of the dead letter it left, or null; one round trip.</summary>
    Task<IReadOnlyList<string?>> DeadLetterIdsAsync(IReadOnlyList<string> executionIds, CancellationToken cancellationToken);

    /// <summary>Marks an open dead letter retried (as <paramref name="retriedAs"/>) or discarded; false when it is not open.</summary>
    Task<bool> ResolveDeadLetterAsync(string deadLetterId, DeadLetterStatus status, string? retriedAs, DateTimeOffset at, CancellationToken cancellationToken);
}
