namespace MarketSpine.Actors.Transport;

/// <summary>
/// What a frame of <see cref="TcpMessageTransport"/> carries; one byte on the wire. Either side of a
/// connection may send requests, so a correlation id names a call of the side that sent the request:
/// a response always answers a request its receiver sent, and the two directions never collide.
/// </summary>
internal enum FrameKind : byte
{
    /// <summary>A request payload for the peer's handler; the correlation id names the call.</summary>
    Request = 1,

    /// <summary>The handler's response payload to the request with the same correlation id.</summary>
    Response = 2,

    /// <summary>The handler threw, or the receiver serves no requests: the payload is an exception's type and message (<see cref="ErrorPayload"/>).</summary>
    ErrorResponse = 3,

    /// <summary>Keepalive probe on an idle connection; the peer answers with <see cref="Pong"/>.</summary>
    Ping = 4,

    Pong = 5,

    /// <summary>Open no new calls on this connection; the correlation id says why (<see cref="GoAwayCode"/>).</summary>
    GoAway = 6,

    /// <summary>
    /// The dialing side's first frame, right after the preface: where it accepts connections
    /// (<see cref="HelloPayload"/>), so the acceptor sends its own calls to that endpoint on this connection.
    /// </summary>
    Hello = 7,
}
