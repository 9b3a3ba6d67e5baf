using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Tests.Execution;

/// <summary>
/// A ledger in a dictionary, for testing the dispatcher's use of the contract: it records every
/// call so a test can assert what the dispatcher stored, and when.
/// </summary>
public sealed class InMemoryExecutionLedger : IExecutionLedger
{
    private readonly Dictionary<string, ExecutionRecord> _records = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    public IReadOnlyCollection<ExecutionRecord> Records => _records.Values;

    public Task CreateAsync(ExecutionRecord record, CancellationToken cancellationToken)
    {
        Calls.Add($"create {record.ExecutionId}");
        if (!_records.TryAdd(record.ExecutionId, record))
        {
            throw new InvalidOperationException($"Execution {record.ExecutionId} created twice.");
        }

        return Task.CompletedTask;
    }

    public Task MarkRunningAsync(string executionId, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        Calls.Add($"running {executionId}");
        _records[executionId] = _records[executionId] with { Status = ExecutionStatus.Running, StartedAt = startedAt };
        return Task.CompletedTask;
    }

    public Task CompleteAsync(string executionId, PipelineResult result, CancellationToken cancellationToken)
    {
        Calls.Add($"complete {executionId}");
        _records[executionId] = _records[executionId] with
        {
            Status = result.Status,
            StartedAt = result.StartedAt,
            CompletedAt = result.CompletedAt,
            Metrics = result.Metrics,
            Quality = result.Quality,
            RejectCount = result.RejectCount,
            Error = result.Error,
        };
        return Task.CompletedTask;
    }

    public Task<ExecutionRecord?> FindAsync(string executionId, CancellationToken cancellationToken)
    {
        Calls.Add($"find {executionId}");
        return Task.FromResult(_records.GetValueOrDefault(executionId));
    }

    public Task<ExecutionRecord?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        Calls.Add($"find-key {idempotencyKey}");
        return Task.FromResult(_records.Values.FirstOrDefault(r => r.IdempotencyKey == idempotencyKey));
    }

    public Task<IReadOnlyList<ExecutionRecord>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        Calls.Add("list");
        IReadOnlyList<ExecutionRecord> list =
        [
            .. _records.Values
                .Where(r => query.Status is null || r.Status == query.Status)
                .Where(r => query.Pipeline is null || r.Pipeline == query.Pipeline)
                .Where(r => query.Since is null || r.CreatedAt >= query.Since)
                .OrderByDescending(r => r.ExecutionId, StringComparer.Ordinal)
                .Take(query.Limit),
        ];
        return Task.FromResult(list);
    }
}
