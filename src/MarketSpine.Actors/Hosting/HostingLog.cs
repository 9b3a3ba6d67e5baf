using MarketSpine.Actors.Directory;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Hosting;

/// <summary>The silo's log messages (event ids 1100–1199), source-generated.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Silo {Silo} started with {GrainClassCount} grain classes")]
    public static partial void SiloStarted(this ILogger logger, SiloAddress silo, int grainClassCount);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Silo {Silo} stopped ({Reason})")]
    public static partial void SiloStopped(this ILogger logger, SiloAddress silo, SiloStopReason reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Silo stop timed out with {Remaining} activations still deactivating")]
    public static partial void StopTimedOut(this ILogger logger, int remaining);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Silo {Silo} could not update its membership row while stopping")]
    public static partial void MembershipUpdateFailed(this ILogger logger, Exception exception, SiloAddress silo);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "Collected {Count} idle activations")]
    public static partial void IdleCollected(this ILogger logger, int count);
}
