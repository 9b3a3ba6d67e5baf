using MarketSpine.Actors.Directory;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Client;

/// <summary>The cluster client's log messages (event ids 1300–1399), source-generated.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Cluster client connected with {GatewayCount} gateways")]
    public static partial void Connected(this ILogger logger, int gatewayCount);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Gateway {Gateway} failed a call ({Reason}); trying another")]
    public static partial void GatewayFailed(this ILogger logger, SiloAddress gateway, string reason);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Could not read the gateways from the membership table")]
    public static partial void RefreshFailed(this ILogger logger, Exception exception);
}
