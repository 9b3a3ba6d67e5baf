using MarketSpine.Actors.Batching;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Grains.Hosting;

namespace MarketSpine.Grains.Executions;

/// <summary>
/// How the execution grains of a silo write their rows. Writes made at the same moment by different
/// executions share one statement (group commit, <see cref="IExecutionStore.CreateAllAsync"/> and
/// <see cref="IExecutionStore.ApplyAllAsync"/>): a change cost PostgreSQL 0.49 ms in a statement of its
/// own and costs 0.08 ms in a batch of 50, and the silo a round trip per batch rather than per write
/// (docs/benchmarks.md). A lone write goes out at once. A write that fails because the database
/// cannot be reached is tried again for <see cref="ExecutionOptions.WriteRetryLimit"/>.
/// </summary>
public sealed class ExecutionWrites
{
    /// <summary>The most writes one statement carries: a few hundred rows keep a statement within milliseconds.</summary>
    private const int MaxBatch = 256;

    private readonly IExecutionStore _store;
    private readonly ExecutionOptions _options;
    private readonly TimeProvider _time;

    // A grain waits for each write before its next, so one execution has one write on its way; the
    // conflict key keeps even a stale second activation's write out of the same statement.
    private readonly GroupCommit<NewExecution, ExecutionRecord?> _creations;
    private readonly GroupCommit<ExecutionChange, bool> _changes;

    public ExecutionWrites(IExecutionStore store, ExecutionOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options;
        _time = time;
        _creations = new GroupCommit<NewExecution, ExecutionRecord?>(store.CreateAllAsync, MaxBatch, execution => execution.Record.ExecutionId);
        _changes = new GroupCommit<ExecutionChange, bool>(store.ApplyAllAsync, MaxBatch, change => change.Record.ExecutionId);
    }

    /// <summary>
    /// Stores a new execution (see <see cref="IExecutionStore.CreateAllAsync"/>). A try that failed after its
    /// insert committed is answered on the next try with the execution as stored, as a submission made again is.
    /// </summary>
    internal Task<ExecutionRecord?> CreateAsync(NewExecution execution) =>
        OutageRetry.RunAsync(() => _creations.WriteAsync(execution), OutageRetry.IsOutage, _options.WriteRetryLimit, _time);

    /// <summary>Applies <paramref name="change"/>; throws <see cref="InvalidStateError"/> when the stored execution moved on.</summary>
    internal async Task ApplyAsync(ExecutionChange change)
    {
        var unsure = false;
        var applied = await OutageRetry.RunAsync(async () =>
        {
            try
            {
                return await _changes.WriteAsync(change);
            }
            catch (Exception exception) when (OutageRetry.IsOutage(exception))
            {
                unsure = true;
                throw;
            }
        }, OutageRetry.IsOutage, _options.WriteRetryLimit, _time);

        // A try that failed on its way back may have committed: the next one then finds its own version stored.
        if (!applied && !(unsure && await IsStoredAsync(change)))
        {
            throw new InvalidStateError(ErrorCodes.InvalidState,
                $"Execution {change.Record.ExecutionId} changed since version {change.ExpectedVersion} was read (or does not exist); this writer is stale.",
                new Dictionary<string, object?> { ["execution_id"] = change.Record.ExecutionId, ["expected_version"] = change.ExpectedVersion });
        }
    }

    private async Task<bool> IsStoredAsync(ExecutionChange change)
    {
        var stored = await _store.FindAsync(change.Record.ExecutionId, CancellationToken.None);
        return stored is not null && stored.Version == change.Record.Version && stored.EventCount == change.Record.EventCount && stored.Status == change.Record.Status;
    }
}
