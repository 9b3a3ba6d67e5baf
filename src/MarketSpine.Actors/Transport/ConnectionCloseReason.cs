namespace MarketSpine.Actors.Transport;

/// <summary>
/// The class of reason a connection closed, as counted in <see cref="TransportStatistics.ConnectionsClosedByReason"/>
/// and tagged on the closed-connections instrument; the log line keeps the detail.
/// </summary>
internal enum ConnectionCloseReason
{
    /// <summary>This transport was disposed.</summary>
    Shutdown,

    /// <summary>The peer announced its shutdown (goaway), then closed.</summary>
    PeerShutdown,

    /// <summary>The peer closed without a goaway: its process ended, or it dropped the connection.</summary>
    PeerClosed,

    /// <summary>A duplicate of another connection to the same peer (both dialed at once), closed once idle by either side.</summary>
    Retired,

    /// <summary>The peer answered no keepalive ping in time: a half-open connection or a hung peer.</summary>
    KeepaliveTimeout,

    /// <summary>The peer sent something that breaks the protocol.</summary>
    ProtocolError,

    /// <summary>Reading or writing the socket failed (reset, broken pipe).</summary>
    IoError,
}

/// <summary>The tag values of <see cref="ConnectionCloseReason"/>, in OpenTelemetry's snake case.</summary>
internal static class ConnectionCloseReasonNames
{
    public static string TagValue(this ConnectionCloseReason reason) => reason switch
    {
        ConnectionCloseReason.Shutdown => "shutdown",
        ConnectionCloseReason.PeerShutdown => "peer_shutdown",
        ConnectionCloseReason.PeerClosed => "peer_closed",
        ConnectionCloseReason.Retired => "retired",
        ConnectionCloseReason.KeepaliveTimeout => "keepalive_timeout",
        ConnectionCloseReason.ProtocolError => "protocol_error",
        _ => "io_error",
    };
}
