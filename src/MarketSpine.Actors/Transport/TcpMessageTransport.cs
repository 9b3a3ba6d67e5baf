using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// <see cref="IMessageTransport"/> over TCP: a framed protocol (<see cref="FrameHeader"/>) on
/// System.IO.Pipelines, one connection per peer endpoint opened on the first send and shared by
/// every concurrent send, calls multiplexed by correlation id. Incoming requests are served
/// concurrently. A dead peer fails sends fast (<see cref="TransportException"/>); a dropped
/// connection fails every call pending on it at once, and the next send reconnects.
/// </summary>
public sealed class TcpMessageTransport : IMessageTransport
{
    private readonly TcpTransportOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPEndPoint, Task<TcpConnection>> _outbound = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lazy<Task> _disposal;

    // Guards the fields below, and the choice of which connect attempt serves a peer.
    private readonly Lock _lock = new();
    private readonly HashSet<TcpConnection> _connections = [];
    private Socket? _listener;
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
        _disposal = new Lazy<Task>(DisposeCoreAsync);
    }

    public IPEndPoint? LocalEndpoint { get; private set; }

    /// <summary>Open connections this transport opened to peers (for tests: one per peer).</summary>
    internal int OutboundConnectionCount => CountConnections(outbound: true);

    /// <summary>Open connections peers opened to this transport.</summary>
    internal int InboundConnectionCount => CountConnections(outbound: false);

    public Task StartAsync(IPEndPoint bind, IRequestHandler handler, CancellationToken cancellationToken)
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
            LocalEndpoint = (IPEndPoint)listener.LocalEndPoint!;
            var endpoint = LocalEndpoint;
            _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, endpoint, handler), CancellationToken.None);
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
        return await connection.SendRequestAsync(request, cancellationToken);
    }

    /// <summary>
    /// Shuts down gracefully, as HTTP/2's goaway does. It stops listening and sends goaway on every
    /// connection, so peers send it nothing new, then waits, at most
    /// <see cref="TcpTransportOptions.DrainTimeout"/>, for the requests it is serving to be answered:
    /// their handlers may still make calls, on old connections or new ones. Then it drops requests that
    /// still arrive unserved, fails its own pending sends with <see cref="TransportException"/>, cancels
    /// handlers that outlived the drain (their responses are lost) and closes. Safe to call more than once.
    /// </summary>
    public ValueTask DisposeAsync() => new(_disposal.Value);

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
        if (_outbound.TryGetValue(peer, out var current) && current.IsCompletedSuccessfully && current.Result.IsUsable)
        {
            return current;
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_outbound.TryGetValue(peer, out current) && (!current.IsCompleted || (current.IsCompletedSuccessfully && current.Result.IsUsable)))
            {
                return current;
            }

            // A failed attempt is not remembered beyond this point: the next send tries again.
            var connecting = ConnectAsync(peer, _lifetime.Token);
            _outbound[peer] = connecting;
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

        var connection = new TcpConnection(socket, peer, handler: null, _options, _logger, OnConnectionClosed);
        if (!TryAdopt(connection))
        {
            await connection.DisposeAsync();
            throw new TransportException(peer, "the transport is shutting down.");
        }

        return connection;
    }

    private async Task AcceptLoopAsync(Socket listener, IPEndPoint endpoint, IRequestHandler handler)
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
            var connection = new TcpConnection(socket, (IPEndPoint)socket.RemoteEndPoint!, handler, _options, _logger, OnConnectionClosed);
            if (!TryAdopt(connection))
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Registers and starts a new connection, unless the transport is being disposed (which then would not close it).</summary>
    private bool TryAdopt(TcpConnection connection)
    {
        lock (_lock)
        {
            // Inbound connections stop with the listener; outbound ones may still open while draining.
            if (_disposed || (_draining && !connection.IsOutbound))
            {
                return false;
            }

            _connections.Add(connection);
        }

        connection.Start();
        _logger.ConnectionOpened(connection.Local, connection.Remote, connection.IsOutbound ? "outbound" : "inbound");
        return true;
    }

    private void OnConnectionClosed(TcpConnection connection)
    {
        lock (_lock)
        {
            _connections.Remove(connection);
        }

        if (connection.IsOutbound
            && _outbound.TryGetValue(connection.Remote, out var current)
            && current.IsCompletedSuccessfully
            && current.Result == connection)
        {
            _outbound.TryRemove(KeyValuePair.Create(connection.Remote, current));
        }
    }

    private int CountConnections(bool outbound)
    {
        lock (_lock)
        {
            return _connections.Count(connection => connection.IsOutbound == outbound && connection.IsUsable);
        }
    }
}
