namespace MarketSpine.Actors.Tests.Transport;

/// <summary>Counts events (requests arriving, handlers cancelled) and lets a test wait, bounded, until a number of them happened.</summary>
public sealed class CountSignal
{
    private readonly Lock _lock = new();
    private readonly List<(int Target, TaskCompletionSource Reached)> _waiters = [];
    private int _count;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void Signal()
    {
        List<TaskCompletionSource> reached = [];
        lock (_lock)
        {
            _count++;
            _waiters.RemoveAll(waiter =>
            {
                if (waiter.Target > _count)
                {
                    return false;
                }

                reached.Add(waiter.Reached);
                return true;
            });
        }

        reached.ForEach(source => source.TrySetResult());
    }

    /// <summary>Completes once <paramref name="target"/> events happened; throws <see cref="TimeoutException"/> after <see cref="TransportTests.WaitLimit"/>.</summary>
    public Task WaitForAsync(int target)
    {
        lock (_lock)
        {
            if (_count >= target)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, reached));
            return reached.Task.WaitAsync(TransportTests.WaitLimit);
        }
    }
}
