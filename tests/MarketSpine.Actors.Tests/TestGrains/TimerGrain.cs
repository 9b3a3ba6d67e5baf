using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Timers;

namespace MarketSpine.Actors.Tests.TestGrains;

public interface ITimerGrain : IGrainWithStringKey
{
    Task StartTimer(TimeSpan period, bool keepAlive);

    Task<int> Ticks();

    Task StopTimer();
}

public sealed class TimerGrain(Probe probe) : Grain, ITimerGrain
{
    private IGrainTimer? _timer;
    private int _ticks;

    public Task StartTimer(TimeSpan period, bool keepAlive)
    {
        _timer = RegisterGrainTimer(
            _ =>
            {
                _ticks++;
                probe.Record($"tick:{GrainKey}:{_ticks}");
                return Task.CompletedTask;
            },
            new GrainTimerOptions(period, period) { KeepAlive = keepAlive });
        return Task.CompletedTask;
    }

    public Task<int> Ticks() => Task.FromResult(_ticks);

    public Task StopTimer()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record($"deactivate:{GrainKey}:{reason}");
        return Task.CompletedTask;
    }
}
