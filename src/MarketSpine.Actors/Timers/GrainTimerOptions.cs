namespace MarketSpine.Actors.Timers;

/// <summary>
/// When a grain timer ticks and how its ticks are scheduled. A tick is a turn of the activation like
/// a request: by default it does not interleave with requests, and it does not keep the activation
/// from being collected when idle (Orleans' defaults). The period counts from the end of the previous
/// tick, so ticks never overlap. <see cref="Timeout.InfiniteTimeSpan"/> as period: tick once.
/// </summary>
public sealed record GrainTimerOptions(TimeSpan DueTime, TimeSpan Period)
{
    /// <summary>Let ticks run while requests are running (at their await points).</summary>
    public bool Interleave { get; init; }

    /// <summary>Count ticks as activity, so a ticking activation is never idle-collected.</summary>
    public bool KeepAlive { get; init; }
}
