namespace MarketSpine.Grains.Executions;

/// <summary>One attempt as the worker runs it: what to run, and the token the grain cancels on a cancel request.</summary>
internal sealed record AttemptWork(
    string ExecutionId,
    int Attempt,
    string Pipeline,
    IReadOnlyDictionary<string, string> Parameters,
    TimeSpan RunTimeout,
    CancellationTokenSource Cancellation)
{
    private readonly TaskCompletionSource<bool> _pipelineEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _workerEnded;

    /// <summary>
    /// Whether the worker has let go of the attempt. An attempt the grain still holds then was never
    /// reported (the report failed on its way): the watchdog treats it as orphaned.
    /// </summary>
    public bool WorkerEnded => Volatile.Read(ref _workerEnded) == 1;

    public void EndWorker() => Volatile.Write(ref _workerEnded, 1);

    /// <summary>
    /// Completes once the pipeline no longer runs: true when it returned (or never started), false when
    /// it was abandoned still running. Set before the last progress goes to the grain, so a grain that
    /// waits for it while leaving its silo (when its own calls are held) is not waiting for itself.
    /// </summary>
    public Task<bool> PipelineEnded => _pipelineEnded.Task;

    public void EndPipeline(bool stopped) => _pipelineEnded.TrySetResult(stopped);
}
