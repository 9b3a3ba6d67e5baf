using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// <see cref="IMessageTransport"/> over TCP: a framed protocol (<see cref="FrameHeader"/>) on
/// System.IO.Pipelines, one connection per pair of processes, carrying the calls of both sides,
/// multiplexed by correlation id. A connection opens on the first send to a peer and is shared by
/// every concurrent send; the dialing side's hello names the endpoint it is reached at, so the
/// accepting side sends its own calls to that peer on the same connection instead of dialing back.
/// When both dial each other at once, both keep the connection dialed by the endpoint that sorts
/// lower and retire the other. Incoming requests are served concurrently. A dead peer fails sends fast
/// (<see cref="TransportException"/>); a dropped connection fails every call pending on it, either
/// way, at once, and the next send reconnects. Its instruments are on the <c>MarketSpine.Actors</c> meter.
/// </summary>
public sealed class TcpMessageTransport : IMessageTransport
{
    private readonly TcpTransportOptions _options;
    private readonly ILogger _logger;
    private readonly TransportMetrics _metrics;

    // The connection to each peer endpoint (the one dialed, or the one a peer's hello announced), or
    // the attempt under way to open it.
    private readonly ConcurrentDictionary<IPEndPoint, Task<TcpConnection>> _routes = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lazy<Task> _disposal;

    // Guards the fields below, and the choice of which connection serves a peer.
    private readonly Lock _lock = new();
    private readonly HashSet<TcpConnection> _connections = [];
    private readonly TrafficCounters _closedTraffic = new();
    private readonly long[] _closedByReason = new long[Enum.GetValues<ConnectionCloseReason>().Length];
    private long _opened;
    private Socket? _listener;
    private IRequestHandler? _handler;
    private IPEndPoint? _advertised;
    private Task _acceptLoop = Task.CompletedTask;
    private bool _draining;
    private bool _disposed;

    public TcpMessageTransport(TcpTransportOptions options, ILogger<TcpMessageTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _logger = logger;
        _metrics = new TransportMetrics(GetStatistics);
        _disposal = new Lazy<Task>(DisposeCoreAsync);
    }

    public IPEndPoint? LocalEndpoint { get; private set; }

    /// <summary>Open, usable connections this transport dialed.</summary>
    internal int OutboundConnectionCount => CountConnections(outbound: true);

    /// <summary>Open, usable connections peers dialed to this transport.</summary>
    internal int InboundConnectionCount => CountConnections(outbound: false);

    /// <summary>The meter this transport's instruments are on (for tests: one per transport).</summary>
    internal Meter Meter => _metrics.Meter;

    public Task StartAsync(IPEndPoint bind, IPEndPoint? advertised, IRequestHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(handler);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_listener is not null)
            {
                throw new InvalidOperationException($"The transport already listens on {LocalEndpoint}.");
            }

            var listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (!OperatingSystem.IsWindows())
                {
                    // A restarted silo binds its port again while the previous run's connections
                    // linger in TIME_WAIT. (On Windows the option would let another process take the port.)
                    listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                }

                listener.Bind(bind);
                listener.Listen(512);
            }
            catch
            {
                listener.Dispose();
                throw;
            }

            _listener = listener;
            _handler = handler;
            LocalEndpoint = (IPEndPoint)listener.LocalEndPoint!;

            // A wildcard address is nowhere a peer can dial: announcing none, this process is then
            // called on connections the peers open themselves.
            var reachedAt = advertised ?? LocalEndpoint;
            _advertised = reachedAt.Address.Equals(IPAddress.Any) || reachedAt.Address.Equals(IPAddress.IPv6Any) ? null : reachedAt;
            var endpoint = LocalEndpoint;
            _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, endpoint), CancellationToken.None);
        }

        _logger.Listening(LocalEndpoint);
        return Task.CompletedTask;
    }

    public async Task<byte[]> SendAsync(IPEndPoint peer, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (request.Length > _options.MaxFrameSize)
        {
            // Refused here: sent, it would make the peer close the connection under every other pending call.
            throw new ArgumentException($"The request of {request.Length} bytes exceeds the maximum frame size of {_options.MaxFrameSize} bytes.", nameof(request));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var connection = await GetConnection(peer).WaitAsync(cancellationToken);
        if (await connection.SendRequestAsync(request, cancellationToken) is { } response)
        {
            return response;
        }

        // The connection closed before the request left (a duplicate just retired, or a drop the route
        // had not seen yet): the peer never got it, so it goes once more, on whichever connection is current.
        connection = await GetConnection(peer).WaitAsync(cancellationToken);
        return await connection.SendRequestAsync(request, cancellationToken) ?? throw connection.CloseError();
    }

    public TransportStatistics GetStatistics()
    {
        var traffic = new TrafficCounters();
        TcpConnection[] connections;
        long opened;
        Dictionary<string, long> closed = new(StringComparer.Ordinal);
        lock (_lock)
        {
            // Under the lock a connection is either still in the set or already in the closed totals: counted once.
            connections = [.. _connections];
            _closedTraffic.AddTo(traffic);
            opened = _opened;
            for (var reason = 0; reason < _closedByReason.Length; reason++)
            {
                if (_closedByReason[reason] > 0)
                {
                    closed[((ConnectionCloseReason)reason).TagValue()] = _closedByReason[reason];
                }
            }
        }

        var pending = 0;
        foreach (var connection in connections)
        {
            connection.Traffic.AddTo(traffic);
            pending += connection.PendingCalls;
        }

        return new TransportStatistics(
            connections.Length, opened, closed, traffic.BytesSent, traffic.BytesReceived, traffic.FramesSent, traffic.FramesReceived,
            traffic.RequestsSent, traffic.RequestsServed, pending);
    }

    /// <summary>
    /// Shuts down gracefully, as HTTP/2's goaway does. It stops listening and sends goaway on every
    /// connection, so peers send it nothing new, then waits, at most
    /// <see cref="TcpTransportOptions.DrainTimeout"/>, for the requests it is serving to be answered,
    /// whichever side dialed the connection they came on: their handlers may still make calls, on old
    /// connections or new ones. Then it drops requests that still arrive unserved, fails its own
    /// pending sends with <see cref="TransportException"/>, cancels handlers that outlived the drain
    /// (their responses are lost) and closes. Safe to call more than once.
    /// </summary>
    public ValueTask DisposeAsync() => new(_disposal.Value);

    /// <summary>
    /// Called by an accepted connection whose hello named the endpoint where its peer accepts
    /// connections: calls to that peer go on this connection from now on, unless this transport is
    /// itself dialing the peer, or already has, and the peer's endpoint sorts higher (see <see cref="Compare"/>).
    /// </summary>
    internal void OnPeerAnnounced(TcpConnection connection)
    {
        var peer = connection.Remote;
        TcpConnection? superseded = null;
        Task<TcpConnection>? ownDial = null;
        lock (_lock)
        {
            if (_draining)
            {
                // A transport shutting down opens no new calls to anyone on it.
                return;
            }

            if (_routes.TryGetValue(peer, out var current) && (!current.IsCompleted || (current.IsCompletedSuccessfully && current.Result.IsUsable)))
            {
                if (current.IsCompleted && !current.Result.IsOutbound)
                {
                    // The peer dials only when it has no usable connection to this process: the one it
                    // dialed before is dead to it (it restarted, or saw the connection drop first).
                    superseded = current.Result;
                }
                else if (_advertised is null || Compare(peer, _advertised) < 0)
                {
                    // Both sides dialed at once. Each side keeps the connection dialed by the endpoint
                    // that sorts lower, so they agree; here that is the peer's. (Having announced no
                    // endpoint, this transport's own dial is never used by the peer, so it yields.)
                    ownDial = current;
                }
                else
                {
                    // Both dialed at once and this side's dial is kept: the peer retires this connection.
                    return;
                }
            }

            _routes[peer] = Task.FromResult(connection);
        }

        _logger.PeerAnnounced(connection.Local, peer);
        if (superseded is not null)
        {
            _logger.RetiringDuplicate(peer);
            superseded.Retire();
        }
        else if (ownDial is not null)
        {
            _ = RetireWhenOpenAsync(ownDial, peer);
        }
    }

    internal void OnConnectionClosed(TcpConnection connection, ConnectionCloseReason reason)
    {
        lock (_lock)
        {
            if (!_connections.Remove(connection))
            {
                // Never adopted (the transport was shutting down): it was never counted as open either.
                return;
            }

            _closedByReason[(int)reason]++;
            connection.Traffic.AddTo(_closedTraffic);
        }

        _metrics.ConnectionClosed(connection.IsOutbound, reason);
        if (_routes.TryGetValue(connection.Remote, out var current)
            && current.IsCompletedSuccessfully
            && current.Result == connection)
        {
            _routes.TryRemove(KeyValuePair.Create(connection.Remote, current));
        }
    }

    /// <summary>
    /// Orders endpoints the same way in every process: by address family, address bytes, then port.
    /// Both sides of a simultaneous dial compare the same two advertised endpoints, so they agree on
    /// which connection stays.
    /// </summary>
    private static int Compare(IPEndPoint x, IPEndPoint y)
    {
        var family = x.AddressFamily.CompareTo(y.AddressFamily);
        if (family != 0)
        {
            return family;
        }

        var address = x.Address.GetAddressBytes().AsSpan().SequenceCompareTo(y.Address.GetAddressBytes());
        return address != 0 ? address : x.Port.CompareTo(y.Port);
    }

    private async Task RetireWhenOpenAsync(Task<TcpConnection> dialing, IPEndPoint peer)
    {
        TcpConnection connection;
        try
        {
            connection = await dialing;
        }
        catch (TransportException)
        {
            // The dial failed: there is nothing to retire, and its failure was logged.
            return;
        }

        _logger.RetiringDuplicate(peer);
        connection.Retire();
    }

    private async Task DisposeCoreAsync()
    {
        Socket? listener;
        lock (_lock)
        {
            _draining = true;
            listener = _listener;
        }

        listener?.Dispose();
        await _acceptLoop;
        foreach (var connection in Snapshot())
        {
            connection.AnnounceShutdown();
        }

        var drain = Stopwatch.StartNew();
        await WhileServingAsync(drain, _options.DrainTimeout);
        TcpConnection[] connections;
        lock (_lock)
        {
            _disposed = true;
            connections = [.. _connections];
        }

        foreach (var connection in connections)
        {
            connection.RefuseRequests();
        }

        // Requests that arrived between the end of the wait and the refusal run to their end too.
        await WhileServingAsync(drain, _options.DrainTimeout);
        if (connections.Any(connection => connection.IsServing))
        {
            _logger.DrainTimedOut(_options.DrainTimeout);
        }

        await _lifetime.CancelAsync();
        await Task.WhenAll(connections.Select(connection => connection.DisposeAsync().AsTask()));
        if (listener is not null)
        {
            _logger.StoppedListening(LocalEndpoint!);
        }

        _metrics.Dispose();
        _lifetime.Dispose();
    }

    private bool IsShuttingDown()
    {
        lock (_lock)
        {
            return _draining;
        }
    }

    private TcpConnection[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _connections];
        }
    }

    private async Task WhileServingAsync(Stopwatch drain, TimeSpan limit)
    {
        // Polled: requests start and end on every connection, and a 10 ms step is nothing beside a shutdown.
        while (drain.Elapsed < limit && Snapshot().Any(connection => connection.IsServing))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }

    /// <summary>The peer's connection, or the attempt under way to open it: concurrent first sends share one attempt.</summary>
    private Task<TcpConnection> GetConnection(IPEndPoint peer)
    {
        if (_routes.TryGetValue(peer, out var current) && current.IsCompletedSuccessfully && current.Result.IsUsable)
        {
            return current;
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_routes.TryGetValue(peer, out current) && (!current.IsCompleted || (current.IsCompletedSuccessfully && current.Result.IsUsable)))
            {
                return current;
            }

            // A failed attempt is not remembered beyond this point: the next send tries again.
            var connecting = ConnectAsync(peer, _lifetime.Token);
            _routes[peer] = connecting;
            return connecting;
        }
    }

    private async Task<TcpConnection> ConnectAsync(IPEndPoint peer, CancellationToken lifetime)
    {
        var socket = new Socket(peer.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = _options.NoDelay };
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime))
        {
            timeout.CancelAfter(_options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(peer, timeout.Token);
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                var reason = exception switch
                {
                    SocketException socketError => $"cannot connect ({socketError.SocketErrorCode})",
                    _ when lifetime.IsCancellationRequested => "the transport is shutting down",
                    _ => $"no connection within the connect timeout of {_options.ConnectTimeout}",
                };
                _logger.ConnectFailed(peer, reason);
                throw new TransportException(peer, reason + ".", exception);
            }
        }

        var connection = new TcpConnection(socket, peer, outbound: true, this, _options, _logger);
        if (!TryAdopt(connection))
        {
            await connection.DisposeAsync();
            throw new TransportException(peer, "the transport is shutting down.");
        }

        return connection;
    }

    private async Task AcceptLoopAsync(Socket listener, IPEndPoint endpoint)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_lifetime.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException || IsShuttingDown())
            {
                return;
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                // The client gave up before its connection was accepted; the listener is fine.
                continue;
            }
            catch (SocketException exception)
            {
                _logger.AcceptFailed(exception, endpoint, exception.SocketErrorCode);
                return;
            }

            socket.NoDelay = _options.NoDelay;
            var connection = new TcpConnection(socket, (IPEndPoint)socket.RemoteEndPoint!, outbound: false, this, _options, _logger);
            if (!TryAdopt(connection))
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Registers and starts a new connection, unless the transport is being disposed (which then would not close it).</summary>
    private bool TryAdopt(TcpConnection connection)
    {
        IRequestHandler? handler;
        IPEndPoint? announce;
        lock (_lock)
        {
            // Inbound connections stop with the listener; outbound ones may still open while draining.
            if (_disposed || (_draining && !connection.IsOutbound))
            {
                return false;
            }

            _connections.Add(connection);
            _opened++;
            handler = _handler;

            // Draining, this transport announces no endpoint on the connections it still opens for
            // its handlers' last calls, so no peer starts calling it on them.
            announce = _draining ? null : _advertised;
        }

        connection.Start(handler, announce);
        _metrics.ConnectionOpened(connection.IsOutbound);
        _logger.ConnectionOpened(connection.Local, connection.Remote, connection.IsOutbound ? "outbound" : "inbound");
        return true;
    }

    private int CountConnections(bool outbound)
    {
        lock (_lock)
        {
            return _connections.Count(connection => connection.IsOutbound == outbound && connection.IsUsable);
        }
    }
}
