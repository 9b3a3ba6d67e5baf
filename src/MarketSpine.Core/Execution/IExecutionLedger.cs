using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Execution;

/// <summary>Where executions are recorded: every run, with its parameters, status, timings and metrics.</summary>
public interface IExecutionLedger
{
    Task CreateAsync(ExecutionRecord record, CancellationToken cancellationToken);

    Task MarkRunningAsync(string executionId, DateTimeOffset startedAt, CancellationToken cancellationToken);

    Task CompleteAsync(string executionId, PipelineResult result, CancellationToken cancellationToken);

    Task<ExecutionRecord?> FindAsync(string executionId, CancellationToken cancellationToken);

    Task<ExecutionRecord?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken);

    Task<IReadOnlyList<ExecutionRecord>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken);
}
