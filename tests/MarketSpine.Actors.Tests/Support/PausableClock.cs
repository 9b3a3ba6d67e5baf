namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// One silo's clock in a <see cref="TestCluster"/>: real time (heartbeats, death timeouts and failover
/// are measured in real seconds, against a real PostgreSQL), with timers that can be frozen. A frozen
/// clock is what a stalled process looks like to itself: no heartbeat, no lease check, no timeout
/// sweep fires, while grain turns already under way run on. Unfreezing fires each timer that fell due
/// meanwhile once, as a process waking from a long pause would. The clock keeps reading real time
/// throughout, so a silo that wakes sees how long it was gone.
/// </summary>
public sealed class PausableClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly HashSet<PausableTimer> _missed = [];
    private bool _paused;

    public override long TimestampFrequency => TimeProvider.System.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow();

    public override long GetTimestamp() => TimeProvider.System.GetTimestamp();

    public void Pause()
    {
        lock (_lock)
        {
            _paused = true;
        }
    }

    public void Resume()
    {
        PausableTimer[] missed;
        lock (_lock)
        {
            _paused = false;
            missed = [.. _missed];
            _missed.Clear();
        }

        foreach (var timer in missed)
        {
            ThreadPool.QueueUserWorkItem(static t => t.FireIfLive(), timer, preferLocal: false);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new PausableTimer(this, callback, state);
        timer.Start(dueTime, period);
        return timer;
    }

    /// <summary>False, with the timer remembered for <see cref="Resume"/>, while the clock is paused.</summary>
    private bool MayFire(PausableTimer timer)
    {
        lock (_lock)
        {
            if (_paused)
            {
                _missed.Add(timer);
            }

            return !_paused;
        }
    }

    private sealed class PausableTimer(PausableClock clock, TimerCallback callback, object? state) : ITimer
    {
        private ITimer? _inner;
        private volatile bool _disposed;

        public void Start(TimeSpan dueTime, TimeSpan period) =>
            _inner = TimeProvider.System.CreateTimer(static self => ((PausableTimer)self!).OnDue(), this, dueTime, period);

        public bool Change(TimeSpan dueTime, TimeSpan period) => _inner!.Change(dueTime, period);

        public void FireIfLive()
        {
            if (!_disposed)
            {
                callback(state);
            }
        }

        public void Dispose()
        {
            _disposed = true;
            _inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void OnDue()
        {
            if (!_disposed && clock.MayFire(this))
            {
                callback(state);
            }
        }
    }
}
