using MarketSpine.Core.Execution;
using MarketSpine.Grains.Hosting;

namespace MarketSpine.Grains.Workers;

/// <summary>
/// The silo's worker pools, one per lane, each bounded by <see cref="ExecutionOptions.LaneConcurrency"/>.
/// Work waits its turn first come, first served (SemaphoreSlim queues waiters in order) and runs on
/// the thread pool, off every grain's turn, so an execution grain stays responsive (cancel, progress,
/// reads) while its pipeline runs.
/// </summary>
public sealed class LaneWorkerPools : IDisposable
{
    private readonly Dictionary<Lane, SemaphoreSlim> _slots;
    private readonly Dictionary<Lane, int> _bounds;
    private readonly Dictionary<Lane, int> _waiting;
    private readonly Dictionary<Lane, int> _finishing;

    public LaneWorkerPools(ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _bounds = new Dictionary<Lane, int>(options.LaneConcurrency);
        _slots = _bounds.ToDictionary(pair => pair.Key, pair => new SemaphoreSlim(pair.Value, pair.Value));
        _waiting = _bounds.ToDictionary(pair => pair.Key, _ => 0);
        _finishing = _bounds.ToDictionary(pair => pair.Key, _ => 0);
    }

    /// <summary>Runs <paramref name="work"/> once a slot of <paramref name="lane"/> is free; the slot is held until the work ends.</summary>
    public void Enqueue(Lane lane, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var slots = _slots[lane];
        lock (_waiting)
        {
            _waiting[lane]++;
        }

        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(async () =>
            {
                await slots.WaitAsync();
                lock (_waiting)
                {
                    _waiting[lane]--;
                }

                try
                {
                    await work();
                }
                finally
                {
                    slots.Release();
                }
            });
        }
    }

    /// <summary>
    /// Counts <paramref name="finishing"/>, the end of some work that gave its slot back early (an attempt
    /// reporting its result), as running in <paramref name="lane"/> until it completes: a host that waits
    /// for the pools to drain waits for it too.
    /// </summary>
    public void Track(Lane lane, Task finishing)
    {
        ArgumentNullException.ThrowIfNull(finishing);
        lock (_waiting)
        {
            _finishing[lane]++;
        }

        finishing.ContinueWith(
            (_, state) =>
            {
                lock (_waiting)
                {
                    _finishing[(Lane)state!]--;
                }
            },
            lane, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Running (in a slot, or finishing after it) and waiting work per lane, for the statistics and for draining.</summary>
    public IReadOnlyDictionary<Lane, (int Running, int Waiting)> Load()
    {
        lock (_waiting)
        {
            return _slots.ToDictionary(pair => pair.Key, pair => (_bounds[pair.Key] - pair.Value.CurrentCount + _finishing[pair.Key], _waiting[pair.Key]));
        }
    }

    public void Dispose()
    {
        foreach (var slots in _slots.Values)
        {
            slots.Dispose();
        }
    }
}
