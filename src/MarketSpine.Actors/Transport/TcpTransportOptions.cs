namespace MarketSpine.Actors.Transport;

/// <summary>Settings of <see cref="TcpMessageTransport"/>; the defaults suit silos in one data centre.</summary>
public sealed record TcpTransportOptions
{
    /// <summary>The smallest <see cref="MaxFrameSize"/> allowed: every error-response frame fits in it.</summary>
    public const int MinimumMaxFrameSize = 64 * 1024;

    /// <summary>How long opening a connection may take before the send fails with <see cref="TransportException"/>.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The largest payload, in bytes, one frame may carry, either way. A larger request fails at the
    /// sender; a larger frame from a peer is a protocol error that closes that connection.
    /// </summary>
    public int MaxFrameSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>How long a connection may receive nothing before it sends a ping.</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after a ping the peer has to send anything before the connection is declared dead
    /// (a half-open peer: crashed host, pulled cable) and every pending call on it fails.
    /// </summary>
    public TimeSpan KeepaliveTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many bytes may wait for a connection's socket before further sends on it wait for room
    /// (a response waits the same way). One frame may exceed it; the next then waits.
    /// </summary>
    public int SendBufferLimit { get; init; } = 1024 * 1024;

    /// <summary>
    /// How long disposing the transport waits for the requests it is serving to be answered before it
    /// cancels them and closes: a silo that stops cleanly answers what it ran, so no caller retries a
    /// call that already ran.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Disables Nagle's algorithm: the transport batches writes itself, and Nagle would only add latency.</summary>
    public bool NoDelay { get; init; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameSize, MinimumMaxFrameSize, nameof(MaxFrameSize));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(KeepaliveInterval, TimeSpan.Zero, nameof(KeepaliveInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(KeepaliveTimeout, TimeSpan.Zero, nameof(KeepaliveTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SendBufferLimit, 0, nameof(SendBufferLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(DrainTimeout, TimeSpan.Zero, nameof(DrainTimeout));
    }
}
