using System.Net;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// The peer's request handler threw. The request reached the peer and ran there; the connection is
/// fine. Only the exception's type name and message cross the wire, not the exception itself.
/// </summary>
public sealed class RemoteHandlerException(IPEndPoint peer, string remoteType, string remoteMessage)
    : Exception($"{peer}: the request handler threw {remoteType}: {remoteMessage}")
{
    public IPEndPoint Peer { get; } = peer;

    /// <summary>The full name of the exception type the handler threw, such as <c>System.InvalidOperationException</c>.</summary>
    public string RemoteType { get; } = remoteType;

    public string RemoteMessage { get; } = remoteMessage;
}
