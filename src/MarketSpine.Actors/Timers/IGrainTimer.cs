namespace MarketSpine.Actors.Timers;

/// <summary>A timer of one activation: not durable, gone when the activation goes. Dispose to stop it.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Re-arms the timer: the next tick after <paramref name="dueTime"/>, then every <paramref name="period"/>.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
