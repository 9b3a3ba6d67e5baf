namespace MarketSpine.SiloHost;

/// <summary>How the silo process ends; anything but <see cref="Stopped"/> tells the orchestrator to restart it.</summary>
public enum SiloExitCode
{
    /// <summary>Stopped cleanly on SIGTERM or SIGINT.</summary>
    Stopped = 0,

    /// <summary>An unexpected error.</summary>
    Failed = 1,

    /// <summary>Refused to start: incomplete settings, or a database whose schema lacks this build's migrations.</summary>
    Refused = 2,

    /// <summary>Declared dead by its peers, or unable to renew its heartbeat: it stopped its grains and itself.</summary>
    MembershipLost = 3,
}
