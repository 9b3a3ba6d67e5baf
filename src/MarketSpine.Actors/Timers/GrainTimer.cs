using MarketSpine.Actors.Runtime;

namespace MarketSpine.Actors.Timers;

/// <summary>
/// An activation's timer. The <see cref="TimeProvider"/> timer only posts a tick message to the
/// activation; the tick runs as a turn. The timer is re-armed when a tick ends, before the
/// activation moves on, so a caller that has seen a tick finish can rely on the next one being armed.
/// </summary>
internal sealed class GrainTimer : IGrainTimer, IActivationComponent
{
    private readonly Activation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _disposed = new();
    private GrainTimerOptions _options;

    public GrainTimer(Activation activation, Func<CancellationToken, Task> callback, GrainTimerOptions options)
    {
        _activation = activation;
        _callback = callback;
        _options = options;
        // The timer must not capture the ExecutionContext of the request that created it: that
        // would keep the request (and its call chain) as "current" in every tick.
        using (ExecutionContext.SuppressFlow())
        {
            _timer = activation.Runtime.Time.CreateTimer(static state => ((GrainTimer)state!).OnDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        activation.AddComponent(this);
        _timer.Change(options.DueTime, Timeout.InfiniteTimeSpan);
    }

    public bool Interleave => _options.Interleave;

    public bool KeepAlive => _options.KeepAlive;

    public Activation Activation => _activation;

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        _options = _options with { DueTime = dueTime, Period = period };
        _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer.Dispose();
        _activation.RemoveComponent(this);
        _disposed.Dispose();
    }

    public Task InvokeAsync() => _disposed.IsCancellationRequested ? Task.CompletedTask : _callback(_disposed.Token);

    /// <summary>Arms the next tick after one has run.</summary>
    public void OnTickCompleted()
    {
        if (!_disposed.IsCancellationRequested && _options.Period != Timeout.InfiniteTimeSpan)
        {
            _timer.Change(_options.Period, Timeout.InfiniteTimeSpan);
        }
    }

    Task IActivationComponent.OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    void IActivationComponent.OnDeactivate() => Dispose();

    private void OnDue()
    {
        if (_disposed.IsCancellationRequested || !_activation.Enqueue(new TimerTick(this)))
        {
            Dispose();
        }
    }
}
