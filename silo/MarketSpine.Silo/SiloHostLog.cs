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

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Applied {Applied} migrations; the schema has all {Total} of this build")]
    public static partial void Migrated(this ILogger logger, int applied, int total);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Critical, Message = "Migrating failed: {Reason}")]
    public static partial void MigrationFailed(this ILogger logger, string reason);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Hosting the grains of {Assembly}")]
    public static partial void HostingGrains(this ILogger logger, string assembly);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Critical,
        Message = "Unknown arguments {Arguments}. Usage: spine-silo (runs a silo of the cluster) | spine-silo migrate (applies the migrations and exits) | spine-silo embedded (one silo on SQLite, with the API)")]
    public static partial void UnknownArguments(this ILogger logger, string[] arguments);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Critical, Message = "The silo refuses to start: SPINE_GRAIN_ASSEMBLIES names {Path}, which cannot be loaded: {Reason}")]
    public static partial void GrainAssemblyUnloadable(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "The API listens on {Urls} (OpenAPI at /openapi/v1.json, Swagger UI at /docs)")]
    public static partial void ApiListening(this ILogger logger, ICollection<string> urls);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Embedded silo on {Database}: migrations applied ({Applied} new)")]
    public static partial void EmbeddedReady(this ILogger logger, string database, int applied);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Critical,
        Message = "The silo refuses to start: {Database} is served by {Holder}; one process at a time runs its executions. Stop that one first")]
    public static partial void DatabaseServed(this ILogger logger, string database, string holder);
}
