using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Transport;

/// <summary>The TCP transport's log messages (event ids 1400–1499), source-generated.</summary>
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Transport listening on {Endpoint}")]
    public static partial void Listening(this ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Transport stopped listening on {Endpoint}")]
    public static partial void StoppedListening(this ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Connection {Local} -> {Remote} opened ({Direction})")]
    public static partial void ConnectionOpened(this ILogger logger, EndPoint? local, IPEndPoint remote, string direction);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Connection to {Remote} closed: {Reason}; {Pending} pending calls failed")]
    public static partial void ConnectionClosed(this ILogger logger, IPEndPoint remote, string reason, int pending);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Connecting to {Peer} failed: {Reason}")]
    public static partial void ConnectFailed(this ILogger logger, IPEndPoint peer, string reason);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Error, Message = "Protocol error on the connection with {Remote}: {Problem}; closing the connection")]
    public static partial void ProtocolError(this ILogger logger, IPEndPoint remote, string problem);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Warning, Message = "{Remote} did not answer a keepalive ping within {Timeout}; closing the connection as dead")]
    public static partial void KeepaliveTimedOut(this ILogger logger, IPEndPoint remote, TimeSpan timeout);

    [LoggerMessage(EventId = 1407, Level = LogLevel.Information, Message = "{Remote} is shutting down (goaway); new calls will open a new connection")]
    public static partial void PeerGoingAway(this ILogger logger, IPEndPoint remote);

    [LoggerMessage(EventId = 1408, Level = LogLevel.Debug, Message = "The request handler failed on a request from {Remote}; the error went back to the caller")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, IPEndPoint remote);

    [LoggerMessage(EventId = 1409, Level = LogLevel.Critical, Message = "Accepting connections on {Endpoint} failed ({Error}); this process takes no more requests")]
    public static partial void AcceptFailed(this ILogger logger, Exception exception, IPEndPoint endpoint, SocketError error);

    [LoggerMessage(EventId = 1410, Level = LogLevel.Warning, Message = "Requests were still being served {DrainTimeout} after the transport began to shut down; they are cancelled and their callers get no answer")]
    public static partial void DrainTimedOut(this ILogger logger, TimeSpan drainTimeout);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Debug, Message = "The connection from {Client} is the route to {Peer}, which accepts connections there")]
    public static partial void PeerAnnounced(this ILogger logger, EndPoint? client, IPEndPoint peer);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Information, Message = "Retiring a duplicate connection to {Peer} (both sides dialed, or the peer dialed anew); it closes once its calls are answered")]
    public static partial void RetiringDuplicate(this ILogger logger, IPEndPoint peer);

    [LoggerMessage(EventId = 1413, Level = LogLevel.Information, Message = "{Remote} retired a duplicate connection (goaway); the other connection carries the calls")]
    public static partial void PeerRetiredConnection(this ILogger logger, IPEndPoint remote);

    [LoggerMessage(EventId = 1414, Level = LogLevel.Warning, Message = "{Remote} sent a request to this process, which serves none (a client); it got an error response")]
    public static partial void RequestWithoutHandler(this ILogger logger, IPEndPoint remote);
}
