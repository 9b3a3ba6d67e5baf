namespace MarketSpine.Grains.Executions;

/// <summary>
/// Tells the dispatcher's waiters of this silo at once when an execution ends here. A grain cannot
/// park a waiter in its own turn (every call behind it would wait too), so a wait reads the store;
/// this saves it the polling delay when the execution runs on the waiter's silo.
/// </summary>
public sealed class ExecutionEndings
{
    private readonly Dictionary<string, List<TaskCompletionSource>> _waiting = new(StringComparer.Ordinal);

    /// <summary>A task that completes when <paramref name="executionId"/> ends in this silo; dispose it when no longer waiting.</summary>
    internal Watch WatchFor(string executionId)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiting)
        {
            if (!_waiting.TryGetValue(executionId, out var waiters))
            {
                _waiting[executionId] = waiters = [];
            }

            waiters.Add(ended);
        }

        return new Watch(this, executionId, ended);
    }

    internal void Ended(string executionId)
    {
        List<TaskCompletionSource>? waiters;
        lock (_waiting)
        {
            _waiting.Remove(executionId, out waiters);
        }

        foreach (var waiter in waiters ?? [])
        {
            waiter.TrySetResult();
        }
    }

    private void Forget(string executionId, TaskCompletionSource ended)
    {
        lock (_waiting)
        {
            if (_waiting.TryGetValue(executionId, out var waiters) && waiters.Remove(ended) && waiters.Count == 0)
            {
                _waiting.Remove(executionId);
            }
        }
    }

    internal sealed class Watch(ExecutionEndings endings, string executionId, TaskCompletionSource ended) : IDisposable
    {
        public Task Ended => ended.Task;

        public void Dispose() => endings.Forget(executionId, ended);
    }
}
