namespace MarketSpine.Actors.Grains;

/// <summary>Why an activation is going away; passed to <see cref="Grain.OnDeactivateAsync"/>.</summary>
public enum DeactivationReason
{
    /// <summary>Idle for longer than the collection age.</summary>
    Idle,

    /// <summary>The grain asked for it with <c>DeactivateOnIdle()</c>.</summary>
    Requested,

    /// <summary>A state write found a stale ETag: the activation's view of its state is wrong.</summary>
    InconsistentState,

    /// <summary>The silo is stopping.</summary>
    SiloStopping,
}
