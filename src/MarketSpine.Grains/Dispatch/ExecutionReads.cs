using MarketSpine.Actors.Batching;
using MarketSpine.Core.Execution;

namespace MarketSpine.Grains.Dispatch;

/// <summary>
/// Reads of single executions by id, batched: reads that arrive while one statement is in flight go
/// together in the next (<see cref="GroupCommit{TItem, TResult}"/>, which batches reads by key as it
/// does writes). Clients polling many executions at once (the API's <c>GET /v1/executions/{id}</c>)
/// then cost the database one statement per batch instead of one per request, and keep one server
/// process busy instead of one per request: on two cores shared with PostgreSQL, the many competing
/// backends were what made the slowest reads slow.
/// </summary>
public sealed class ExecutionReads(IExecutionStore store)
{
    private const int MaxBatch = 256;

    private readonly GroupCommit<string, ExecutionRecord?> _finds = new(store.FindAllAsync, MaxBatch);

    /// <summary>The execution as stored when its batch ran (never earlier than this call), or null.</summary>
    public Task<ExecutionRecord?> FindAsync(string executionId, CancellationToken cancellationToken) =>
        _finds.WriteAsync(executionId).WaitAsync(cancellationToken);
}
