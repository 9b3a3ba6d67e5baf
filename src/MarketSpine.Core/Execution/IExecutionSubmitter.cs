namespace MarketSpine.Core.Execution;

/// <summary>
/// What a pipeline may use to run other pipelines (a backfill submitting one child per week): the
/// same command layer the CLI and the API call.
/// </summary>
public interface IExecutionSubmitter
{
    /// <summary>Validates and submits; returns the execution as created (queued, usually).</summary>
    Task<ExecutionRecord> SubmitAsync(SubmitRequest request, CancellationToken cancellationToken);

    /// <summary>Cancels an execution that has not ended (a parent cancelled stops its children).</summary>
    Task<ExecutionRecord> CancelAsync(string executionId, string reason, CancellationToken cancellationToken);

    /// <summary>Waits until the execution ends or <paramref name="timeout"/> passes; returns it as it then is.</summary>
    Task<ExecutionRecord> WaitAsync(string executionId, TimeSpan timeout, CancellationToken cancellationToken);
}
