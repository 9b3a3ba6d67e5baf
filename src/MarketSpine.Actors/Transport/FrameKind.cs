namespace MarketSpine.Actors.Transport;

/// <summary>What a frame of <see cref="TcpMessageTransport"/> carries; one byte on the wire.</summary>
internal enum FrameKind : byte
{
    /// <summary>A request payload for the peer's handler; the correlation id names the call.</summary>
    Request = 1,

    /// <summary>The handler's response payload to the request with the same correlation id.</summary>
    Response = 2,

    /// <summary>The handler threw: the payload is the exception's type and message (<see cref="ErrorPayload"/>).</summary>
    ErrorResponse = 3,

    /// <summary>Keepalive probe on an idle connection; the peer answers with <see cref="Pong"/>.</summary>
    Ping = 4,

    Pong = 5,

    /// <summary>The sender is shutting down: open no new calls on this connection.</summary>
    GoAway = 6,
}
