using System.Net;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// The peer could not be reached, refused the request without running it (it is shutting down), or
/// the connection broke before the response came. <see cref="MayHaveBeenDelivered"/> tells the last
/// case from the others: only a request that surely never ran may be sent again elsewhere.
/// </summary>
public sealed class TransportException(IPEndPoint peer, string message, Exception? inner = null)
    : Exception($"{peer}: {message}", inner)
{
    public IPEndPoint Peer { get; } = peer;

    /// <summary>
    /// Whether the request had left for the peer when the connection broke: it may have run there, and
    /// sending it again could run it twice.
    /// </summary>
    public bool MayHaveBeenDelivered { get; init; }
}
