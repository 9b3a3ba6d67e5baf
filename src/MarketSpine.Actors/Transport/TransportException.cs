using System.Net;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// The peer could not be reached, or the connection broke before the response came. Whether the
/// request ran on the peer is unknown; the runtime decides whether a retry is safe.
/// </summary>
public sealed class TransportException(IPEndPoint peer, string message, Exception? inner = null)
    : Exception($"{peer}: {message}", inner)
{
    public IPEndPoint Peer { get; } = peer;
}
