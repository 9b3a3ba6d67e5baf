using MarketSpine.Actors.Runtime;

namespace MarketSpine.Actors.Timers;

/// <summary>One tick of a grain timer, run as a turn of its activation. Nobody waits for it, so it has no deadline.</summary>
internal sealed class TimerTick(GrainTimer timer) : Message(parent: null, timer.Activation.Runtime.Time.GetTimestamp(), long.MaxValue)
{
    private bool _completed;

    public override bool IsReadOnly => false;

    public override bool AlwaysInterleave => timer.Interleave;

    public override bool KeepsAlive => timer.KeepAlive;

    public override bool FollowsGrain => false;

    public override bool IsCompleted => Volatile.Read(ref _completed);

    public override string Describe() => $"{timer.Activation.Id}.(timer)";

    public override void Start() => _ = RunAsync();

    public override bool TryFail(Exception exception)
    {
        Volatile.Write(ref _completed, true);
        return false;
    }

    public override void Expire(string detail)
    {
    }

    private async Task RunAsync()
    {
        var activation = timer.Activation;
        RuntimeContext.Current = this;
        try
        {
            await timer.InvokeAsync();
        }
        catch (Exception exception)
        {
            activation.Class.Logger.TimerFailed(exception, activation.Id);
            activation.Runtime.Metrics.RecordError("timer_failed");
        }

        Volatile.Write(ref _completed, true);
        timer.OnTickCompleted();
        activation.OnCompleted(this);
    }
}
