using System.Net;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketSpine.SiloHost;

/// <summary>The silo process's log messages (event ids 3000–3099), source-generated.</summary>
internal static partial class SiloHostLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Critical, Message = "The silo refuses to start: {Reason}")]
    public static partial void Refused(this ILogger logger, string reason);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Silo {Silo} is active at {Endpoint}")]
    public static partial void Running(this ILogger logger, SiloAddress silo, IPEndPoint? endpoint);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Shutdown requested: stopping silo {Silo}")]
    public static partial void Stopping(this ILogger logger, SiloAddress silo);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Critical, Message = "Silo {Silo} stopped itself ({Reason}); exiting so that it restarts as a new generation")]
    public static partial void MembershipLost(this ILogger logger, SiloAddress silo, SiloStopReason reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Critical, Message = "The silo failed")]
    public static partial void Failed(this ILogger logger, Exception exception);
}
