namespace MarketSpine.Actors.Hosting;

/// <summary>Why a silo stopped; a host exits non-zero for anything but <see cref="Requested"/>.</summary>
public enum SiloStopReason
{
    /// <summary><see cref="Silo.StopAsync"/> was called (a clean shutdown, SIGTERM).</summary>
    Requested,

    /// <summary>A peer declared the silo dead: its heartbeats stopped reaching the membership table in time.</summary>
    DeclaredDead,

    /// <summary>The silo could not renew its heartbeat within the death timeout, so it fenced itself off.</summary>
    HeartbeatLost,
}
