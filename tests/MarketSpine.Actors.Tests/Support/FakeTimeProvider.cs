namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// Manual time for tests, with the behaviour of Microsoft.Extensions.TimeProvider.Testing's
/// FakeTimeProvider that the runtime relies on (that package is pinned but the package registry
/// here does not serve it, so restore fails): time moves only in <see cref="Advance"/>, which fires
/// every timer that falls due, in due order, synchronously on the caller's thread, with the clock
/// set to each timer's due time while its callback runs. Timestamps are ticks of the fake clock.
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<FakeTimer> _timers = [];
    private readonly List<(DateTimeOffset DueAt, int Count, TaskCompletionSource Scheduled)> _waiters = [];
    private DateTimeOffset _now = start;
    private long _sequence;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + delta;
        }

        while (true)
        {
            FakeTimer? due;
            lock (_lock)
            {
                due = _timers.Where(t => t.DueAt <= target).OrderBy(t => t.DueAt).ThenBy(t => t.Sequence).FirstOrDefault();
                if (due is null)
                {
                    _now = target;
                    return;
                }

                if (due.DueAt > _now)
                {
                    _now = due.DueAt;
                }

                if (due.Period == Timeout.InfiniteTimeSpan || due.Period <= TimeSpan.Zero)
                {
                    _timers.Remove(due);
                }
                else
                {
                    due.DueAt += due.Period;
                }
            }

            due.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.DueAt = _now + dueTime;
            timer.Period = period;
            timer.Sequence = ++_sequence;
            _timers.Add(timer);
            foreach (var waiter in _waiters.Where(w => w.DueAt == timer.DueAt && ArmedAt(w.DueAt) >= w.Count).ToList())
            {
                waiter.Scheduled.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>
    /// Completes once <paramref name="count"/> timers are armed to fire at <paramref name="dueAt"/>: how
    /// a test knows that work running on the thread pool (a grain timer re-arming after its tick) has
    /// got that far. Count every timer due then, the silo's own periodic ones included.
    /// </summary>
    public Task WaitForTimerAsync(DateTimeOffset dueAt, int count = 1)
    {
        lock (_lock)
        {
            if (ArmedAt(dueAt) >= count)
            {
                return Task.CompletedTask;
            }

            var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((dueAt, count, scheduled));
            return scheduled.Task.WaitAsync(Probe.WaitLimit);
        }
    }

    private int ArmedAt(DateTimeOffset dueAt) => _timers.Count(t => t.DueAt == dueAt);

    private void Unschedule(FakeTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }

        public TimeSpan Period { get; set; }

        public long Sequence { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Unschedule(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
