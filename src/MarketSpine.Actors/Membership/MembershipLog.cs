using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Membership;

/// <summary>The membership's log messages (event ids 1200–1299), source-generated.</summary>
internal static partial class MembershipLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Silo {Silo} joined the cluster at {Endpoint}")]
    public static partial void Joined(this ILogger logger, SiloAddress silo, System.Net.IPEndPoint endpoint);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Silo {Silo} could not renew its heartbeat")]
    public static partial void HeartbeatFailed(this ILogger logger, Exception exception, SiloAddress silo);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Could not read the membership table")]
    public static partial void ReadFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Declared silo {Declared} dead: no heartbeat since before {StaleBefore}")]
    public static partial void DeclaredDead(this ILogger logger, SiloAddress declared, DateTimeOffset staleBefore);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Could not declare stale silos dead")]
    public static partial void DeclareFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Critical, Message = "Silo {Silo} lost its membership ({Reason}): stopping all activations and itself")]
    public static partial void MembershipLost(this ILogger logger, SiloAddress silo, SiloStopReason reason);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information, Message = "Silo {Silo} is gone from the membership")]
    public static partial void SiloGone(this ILogger logger, SiloAddress silo);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Information, Message = "Silo {Silo} is now {Status}")]
    public static partial void StatusChanged(this ILogger logger, SiloAddress silo, SiloStatus status);
}
