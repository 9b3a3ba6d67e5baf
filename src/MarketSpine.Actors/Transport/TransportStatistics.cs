namespace MarketSpine.Actors.Transport;

/// <summary>
/// A transport's totals since it was created, from <see cref="IMessageTransport.GetStatistics"/>.
/// Counts only grow, except the two that say what is open or waiting now. A transport without
/// connections (the in-memory one) reports none, and counts each payload as one frame.
/// </summary>
/// <param name="OpenConnections">Connections open now, either direction, including ones draining.</param>
/// <param name="ConnectionsOpened">Connections opened (dialed or accepted).</param>
/// <param name="ConnectionsClosedByReason">
/// Connections closed, by class of reason: shutdown (this transport was disposed), peer_shutdown,
/// peer_closed, retired (a duplicate from simultaneous dials), keepalive_timeout, protocol_error,
/// io_error. Only the classes that occurred appear.
/// </param>
/// <param name="BytesSent">Bytes written to connections, framing included.</param>
/// <param name="BytesReceived">Bytes read from connections, framing included.</param>
/// <param name="FramesSent">Frames of every kind written (requests, responses, keepalive, control).</param>
/// <param name="FramesReceived">Frames of every kind read.</param>
/// <param name="RequestsSent">Requests sent to peers.</param>
/// <param name="RequestsServed">Requests from peers answered, with a response or an error.</param>
/// <param name="PendingCalls">Requests sent that wait for their response now.</param>
public sealed record TransportStatistics(
    int OpenConnections,
    long ConnectionsOpened,
    IReadOnlyDictionary<string, long> ConnectionsClosedByReason,
    long BytesSent,
    long BytesReceived,
    long FramesSent,
    long FramesReceived,
    long RequestsSent,
    long RequestsServed,
    int PendingCalls)
{
    /// <summary>Connections closed, whatever the reason.</summary>
    public long ConnectionsClosed => ConnectionsClosedByReason.Values.Sum();
}
