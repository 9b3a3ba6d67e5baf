using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// One TCP connection of <see cref="TcpMessageTransport"/>, multiplexing concurrent calls of both
/// sides by correlation id: each side sends requests and serves the other's. Senders copy their
/// frames into one outgoing pipe under a short lock; a single send loop drains whatever has
/// accumulated in one go, so many small frames leave in few socket writes. A single read loop parses
/// frames, completes waiting callers, and queues incoming requests to the thread pool. A keepalive
/// loop pings when the peer has been silent. The first failure of any loop closes the connection and
/// fails every pending call with it.
/// </summary>
internal sealed class TcpConnection : IAsyncDisposable
{
    // A graceful close gives the send loop this long to put what is buffered on the wire; a peer
    // that stopped reading cannot hold up the transport's shutdown.
    private static readonly TimeSpan GoAwayDrainLimit = TimeSpan.FromSeconds(1);

    private readonly NetworkStream _stream;
    private readonly TcpMessageTransport _owner;
    private readonly TcpTransportOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _writeLock = new();

    // The pipe never pauses its writer (threshold 0): SendBufferLimit bounds it instead, which
    // lets a sender write and flush under a plain lock, with no await inside it. The reader's
    // continuations go to the thread pool so a flush never runs the send loop on a sender's thread.
    private readonly Pipe _outgoing = new(new PipeOptions(
        pauseWriterThreshold: 0,
        readerScheduler: PipeScheduler.ThreadPool,
        minimumSegmentSize: 64 * 1024,
        useSynchronizationContext: false));

    // Set by Start, before the loops run; null where this process serves no requests (a client).
    private IRequestHandler? _handler;
    private IPEndPoint _remote;
    private long _nextCorrelationId;
    private long _lastReceived = Stopwatch.GetTimestamp();
    private ClosedState? _closed;
    private volatile bool _peerGoingAway;
    private volatile bool _peerRetired;

    // Requests read off this connection whose response is not yet written, and whether new ones are
    // dropped unserved: together they let a draining transport close only once nothing it ran is
    // left unanswered (see RefuseRequests).
    private int _serving;

    // The error type of a refusal: no handler exception has it, so the caller can tell "never ran".
    private const string RefusedType = "MarketSpine.Actors.Transport.RequestRefused";
    private static readonly byte[] RefusalPayload = ErrorPayload.Encode(RefusedType, "The peer is shutting down and refused the request without running it.");
    private int _refusing;

    // Taken out of use as a duplicate: closes once nothing is pending or being served (see Retire).
    private int _retiring;

    // Guarded by _writeLock.
    private long _buffered;
    private bool _writerCompleted;
    private TaskCompletionSource? _drained;

    private Task _sendLoop = Task.CompletedTask;
    private Task _readLoop = Task.CompletedTask;
    private Task _keepaliveLoop = Task.CompletedTask;

    /// <summary>
    /// A connection on <paramref name="socket"/> to <paramref name="remote"/>: the endpoint dialed, or on
    /// an accepted connection the client's address until its hello names the peer; <paramref name="outbound"/>
    /// when this process dialed it. <paramref name="owner"/> hears of the peer's hello and of the close.
    /// </summary>
    public TcpConnection(Socket socket, IPEndPoint remote, bool outbound, TcpMessageTransport owner, TcpTransportOptions options, ILogger logger)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        Local = socket.LocalEndPoint;
        _remote = remote;
        IsOutbound = outbound;
        _owner = owner;
        _options = options;
        _logger = logger;
    }

    public EndPoint? Local { get; }

    /// <summary>
    /// The peer: the endpoint this side dialed, or on an accepted connection the endpoint the peer's
    /// hello announced (where it accepts connections), else the client's address.
    /// </summary>
    public IPEndPoint Remote => Volatile.Read(ref _remote);

    /// <summary>Dialed by this side (otherwise accepted). Either side may send requests on it.</summary>
    public bool IsOutbound { get; }

    /// <summary>New calls may use this connection: it is open, not retired, and the peer has not announced its shutdown.</summary>
    public bool IsUsable => Volatile.Read(ref _closed) is null && !_peerGoingAway && Volatile.Read(ref _retiring) == 0;

    /// <summary>Whether a request this side has started to serve still waits for its response to be written.</summary>
    public bool IsServing => Volatile.Read(ref _serving) > 0 && Volatile.Read(ref _closed) is null;

    /// <summary>The frames and bytes this connection moved.</summary>
    public TrafficCounters Traffic { get; } = new();

    public int PendingCalls => _pending.Count;

    /// <summary>
    /// Sends goaway: the peer sends no new requests on this connection, but what it has sent is still
    /// served and answered, and this side's own calls on it go on.
    /// </summary>
    public void AnnounceShutdown() => WriteControl(FrameKind.GoAway, (long)GoAwayCode.Shutdown);

    /// <summary>
    /// Drops every request that arrives from now on without running it: the peer's call fails when
    /// the connection closes, and having never run it may be sent elsewhere. Requests already started
    /// finish; <see cref="IsServing"/> says when.
    /// </summary>
    public void RefuseRequests() => Interlocked.Exchange(ref _refusing, 1);

    /// <summary>
    /// Takes the connection out of use because another one to the same peer is kept (both sides
    /// dialed at once, or the peer dialed anew): goaway tells the peer to open no new calls on it, and
    /// it closes as soon as no call of this side is pending on it and no request of the peer is being
    /// served. Its owner has already stopped routing calls to it.
    /// </summary>
    public void Retire()
    {
        if (Interlocked.Exchange(ref _retiring, 1) == 0)
        {
            WriteControl(FrameKind.GoAway, (long)GoAwayCode.Duplicate);
            CloseIfRetiredAndIdle();
        }
    }

    /// <summary>
    /// Writes the preface (and on a dialed connection the hello announcing <paramref name="announce"/>),
    /// then starts the loops. Requests from the peer are served by <paramref name="handler"/>, or
    /// answered with an error where it is null.
    /// </summary>
    public void Start(IRequestHandler? handler, IPEndPoint? announce)
    {
        _handler = handler;
        lock (_writeLock)
        {
            WriteLocked(ConnectionPreface.Bytes);
            if (IsOutbound)
            {
                WriteFrameLocked(FrameKind.Hello, 0, HelloPayload.Encode(announce));
            }
            else
            {
                FlushLocked();
            }
        }

        // On the thread pool: started from whichever send opened the connection, the loops must not
        // carry on in that caller's synchronization context.
        _sendLoop = Task.Run(SendLoopAsync);
        _readLoop = Task.Run(ReadLoopAsync);
        _keepaliveLoop = Task.Run(KeepaliveLoopAsync);
    }

    /// <summary>
    /// Sends a request and waits for its response. Returns null, without having sent anything, when
    /// the connection closed before the request could leave: it never reached the peer, so it may go
    /// on another connection.
    /// </summary>
    public async Task<byte[]?> SendRequestAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var correlationId = Interlocked.Increment(ref _nextCorrelationId);
        var call = new PendingCall(this, correlationId);
        _pending[correlationId] = call;

        // Close marks the connection closed before it fails the pending calls: a call added after
        // that sweep sees the mark here, or finds the outgoing pipe completed below.
        if (Volatile.Read(ref _closed) is not null)
        {
            _pending.TryRemove(correlationId, out _);
            return null;
        }

        try
        {
            await WriteAsync(FrameKind.Request, correlationId, request, cancellationToken);
        }
        catch (TransportException)
        {
            // The pipe was completed before the request was written into it: it never left.
            _pending.TryRemove(correlationId, out _);
            return null;
        }
        catch
        {
            _pending.TryRemove(correlationId, out _);
            throw;
        }

        using var registration = cancellationToken.UnsafeRegister(static (state, token) => ((PendingCall)state!).Abandon(token), call);
        return await call.Task;
    }

    /// <summary>Forgets a call whose caller stopped waiting; its late response will be dropped.</summary>
    public void Forget(long correlationId)
    {
        _pending.TryRemove(correlationId, out _);
        CloseIfRetiredAndIdle();
    }

    /// <summary>Runs the handler for one request and writes its response or error back.</summary>
    public async Task ServeAsync(long correlationId, byte[] request)
    {
        try
        {
            await ServeCoreAsync(correlationId, request);
        }
        finally
        {
            Interlocked.Decrement(ref _serving);
            CloseIfRetiredAndIdle();
        }
    }

    /// <summary>The error a call on this closed connection fails with; a new exception for each caller.</summary>
    public TransportException CloseError()
    {
        // New each time: one instance rethrown on many threads would have its stack trace rewritten concurrently.
        var closed = Volatile.Read(ref _closed)!;
        return new(Remote, $"the connection closed ({closed.Reason}).", closed.Cause);
    }

    /// <summary>Closes at once: no goaway, the socket is dropped, pending calls fail with <paramref name="reason"/>.</summary>
    public void Abort(ConnectionCloseReason reasonClass, string reason, Exception? cause = null)
    {
        if (TryMarkClosed(new ClosedState(reasonClass, reason, cause), goAway: false, onlyIfIdle: false))
        {
            FinishClose(dropSocket: true);
        }
    }

    /// <summary>Sends goaway, fails pending calls, and closes once the goaway is written (bounded).</summary>
    public async ValueTask DisposeAsync()
    {
        if (TryMarkClosed(new ClosedState(ConnectionCloseReason.Shutdown, "the transport is shutting down", null), goAway: true, onlyIfIdle: false))
        {
            FinishClose(dropSocket: false);
        }

        await CloseSocketAsync();
        await Task.WhenAll(_sendLoop, _readLoop, _keepaliveLoop);
    }

    private async Task ServeCoreAsync(long correlationId, byte[] request)
    {
        FrameKind kind;
        byte[] response;
        if (_handler is null)
        {
            // A client's connection: the peer should never have routed a call here (the hello announced
            // no endpoint), but it gets an answer rather than a call that hangs until its timeout.
            _logger.RequestWithoutHandler(Remote);
            kind = FrameKind.ErrorResponse;
            response = ErrorPayload.Encode(typeof(InvalidOperationException).FullName!, "This process serves no requests: it is a client, not a started transport.");
        }
        else
        {
            try
            {
                response = await _handler.HandleAsync(request, _closing.Token);
                kind = FrameKind.Response;
                if (response.Length > _options.MaxFrameSize)
                {
                    // The caller gets an answer instead of a frame that would make its side close the connection.
                    kind = FrameKind.ErrorResponse;
                    response = ErrorPayload.Encode(
                        typeof(InvalidOperationException).FullName!,
                        $"The response of {response.Length} bytes exceeds the maximum frame size of {_options.MaxFrameSize} bytes.");
                }
            }
            catch (Exception exception)
            {
                // Any handler failure, whatever its type, goes back to the caller as an error response.
                _logger.HandlerFailed(exception, Remote);
                kind = FrameKind.ErrorResponse;
                response = ErrorPayload.Encode(exception.GetType().FullName ?? exception.GetType().Name, exception.Message);
            }
        }

        try
        {
            // Writing the response needs no captured context.
            await WriteAsync(kind, correlationId, response, _closing.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TransportException or OperationCanceledException)
        {
            // The connection closed while the handler ran; the caller's call already failed with it.
        }
    }

    /// <summary>A retired connection closes gracefully once its last call is answered and its last request served.</summary>
    private void CloseIfRetiredAndIdle()
    {
        if (Volatile.Read(ref _retiring) != 0
            && TryMarkClosed(new ClosedState(ConnectionCloseReason.Retired, "retired: another connection to the peer is kept", null), goAway: false, onlyIfIdle: true))
        {
            FinishClose(dropSocket: false);

            // Not awaited: this runs on a loop of the connection, which the socket's closing ends.
            _ = CloseSocketAsync();
        }
    }

    /// <summary>
    /// Marks the connection closed (with its reason, so a sender that sees the mark sees the reason)
    /// and completes the outgoing pipe after an optional goaway. False when it was closed already, or,
    /// with <paramref name="onlyIfIdle"/>, while a call is pending or a request is being served: the
    /// check and the mark are one step under the write lock, so a sender either gets its request
    /// written before the close or finds the pipe completed and knows its request never left.
    /// </summary>
    private bool TryMarkClosed(ClosedState state, bool goAway, bool onlyIfIdle)
    {
        TaskCompletionSource? drained;
        lock (_writeLock)
        {
            if (_closed is not null || (onlyIfIdle && (!_pending.IsEmpty || Volatile.Read(ref _serving) > 0)))
            {
                return false;
            }

            Volatile.Write(ref _closed, state);
            if (goAway)
            {
                WriteFrameLocked(FrameKind.GoAway, (long)GoAwayCode.Shutdown, default);
            }

            // The send loop writes out what is buffered, then sees the end of the pipe and stops.
            _writerCompleted = true;
            _outgoing.Writer.Complete();
            drained = _drained;
            _drained = null;
        }

        drained?.TrySetResult();
        return true;
    }

    /// <summary>Fails the pending calls, cancels the handlers, and tells the owner; drops the socket at once when asked.</summary>
    private void FinishClose(bool dropSocket)
    {
        var failed = 0;
        foreach (var correlationId in _pending.Keys)
        {
            // Sent, or about to be: whether the peer ran it is unknown.
            if (_pending.TryRemove(correlationId, out var call) && call.TrySetException(new TransportException(Remote, CloseError().Message, Volatile.Read(ref _closed)!.Cause) { MayHaveBeenDelivered = true }))
            {
                failed++;
            }
        }

        _closing.Cancel();
        if (dropSocket)
        {
            _stream.Dispose();
        }

        var closed = Volatile.Read(ref _closed)!;
        _logger.ConnectionClosed(Remote, closed.Reason, failed);
        _owner.OnConnectionClosed(this, closed.Class);
    }

    private async Task CloseSocketAsync()
    {
        try
        {
            await _sendLoop.WaitAsync(GoAwayDrainLimit);
        }
        catch (TimeoutException)
        {
            // The peer is not reading; it will learn of the close from the closed socket.
        }

        _stream.Dispose();
    }

    private async ValueTask WriteAsync(FrameKind kind, long correlationId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task roomToWrite;
            lock (_writeLock)
            {
                if (_writerCompleted)
                {
                    throw CloseError();
                }

                // Past the limit, senders wait for the send loop to catch up, so a peer that stops
                // reading holds a bounded buffer until keepalive declares it dead.
                if (_buffered < _options.SendBufferLimit)
                {
                    WriteFrameLocked(kind, correlationId, payload.Span);
                    return;
                }

                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                roomToWrite = _drained.Task;
            }

            await roomToWrite.WaitAsync(cancellationToken);
        }
    }

    /// <summary>A control frame (ping, pong, goaway): tiny, so it skips the high-water wait; dropped once the connection is closing.</summary>
    /// <summary>Answers a request this draining side will not run; dropped once the connection is closing.</summary>
    private void WriteRefusal(long correlationId)
    {
        lock (_writeLock)
        {
            if (!_writerCompleted)
            {
                WriteFrameLocked(FrameKind.ErrorResponse, correlationId, RefusalPayload);
            }
        }
    }

    private void WriteControl(FrameKind kind, long correlationId)
    {
        lock (_writeLock)
        {
            if (!_writerCompleted)
            {
                WriteFrameLocked(kind, correlationId, default);
            }
        }
    }

    private void WriteFrameLocked(FrameKind kind, long correlationId, ReadOnlySpan<byte> payload)
    {
        new FrameHeader(kind, (uint)payload.Length, correlationId).Write(_outgoing.Writer.GetSpan(FrameHeader.Size));
        _outgoing.Writer.Advance(FrameHeader.Size);
        _buffered += FrameHeader.Size;
        WriteLocked(payload);
        FlushLocked();
        Traffic.FrameSent(kind);
    }

    private void WriteLocked(ReadOnlySpan<byte> bytes)
    {
        _outgoing.Writer.Write(bytes);
        _buffered += bytes.Length;
    }

    private void FlushLocked()
    {
        // Completes at once: the pipe never pauses its writer, so a flush only wakes the send loop.
        var flush = _outgoing.Writer.FlushAsync(CancellationToken.None);
        Debug.Assert(flush.IsCompleted, "The outgoing pipe has no pause threshold.");
        flush.GetAwaiter().GetResult();
    }

    private async Task SendLoopAsync()
    {
        var reader = _outgoing.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await _stream.WriteAsync(segment);
                }

                // Measured before AdvanceTo: after it, the pipe may hand the buffer's segments to a writer again.
                var sent = buffer.Length;
                reader.AdvanceTo(buffer.End);
                Traffic.AddBytesSent(sent);
                ReleaseSent(sent);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception exception)
        {
            // Whatever ends the send loop must close the connection, or its pending calls would hang.
            Abort(ConnectionCloseReason.IoError, "sending failed: " + Describe(exception), exception);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private void ReleaseSent(long bytes)
    {
        TaskCompletionSource? drained = null;
        lock (_writeLock)
        {
            _buffered -= bytes;
            if (_buffered < _options.SendBufferLimit)
            {
                drained = _drained;
                _drained = null;
            }
        }

        drained?.TrySetResult();
    }

    private async Task ReadLoopAsync()
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        var prefaceRead = false;
        var helloRead = IsOutbound;
        ConnectionCloseReason reasonClass;
        string reason;
        Exception? cause = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());
                var buffer = result.Buffer;
                string? problem = null;
                if (!prefaceRead && buffer.Length >= ConnectionPreface.Bytes.Length)
                {
                    problem = CheckPreface(buffer);
                    prefaceRead = problem is null;
                    buffer = buffer.Slice(ConnectionPreface.Bytes.Length);
                }

                if (prefaceRead && problem is null)
                {
                    problem = ReadFrames(ref buffer, ref helloRead);
                }

                Traffic.AddBytesReceived(result.Buffer.Length - buffer.Length);
                if (problem is not null)
                {
                    _logger.ProtocolError(Remote, problem);
                    (reasonClass, reason) = (ConnectionCloseReason.ProtocolError, "protocol error: " + problem);
                    break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    (reasonClass, reason) = _peerRetired ? (ConnectionCloseReason.Retired, "the peer retired it: another connection to the peer is kept")
                        : _peerGoingAway ? (ConnectionCloseReason.PeerShutdown, "the peer shut down")
                        : (ConnectionCloseReason.PeerClosed, "the peer closed the connection");
                    break;
                }
            }
        }
        catch (Exception exception)
        {
            // Whatever ends the read loop must close the connection, or its pending calls would hang.
            (reasonClass, reason, cause) = (ConnectionCloseReason.IoError, "receiving failed: " + Describe(exception), exception);
        }
        finally
        {
            await reader.CompleteAsync();
        }

        Abort(reasonClass, reason, cause);
    }

    /// <summary>Null when <paramref name="buffer"/> starts with this protocol's preface; otherwise what is wrong with it.</summary>
    private static string? CheckPreface(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> preface = stackalloc byte[ConnectionPreface.Bytes.Length];
        buffer.Slice(0, preface.Length).CopyTo(preface);
        if (preface.SequenceEqual(ConnectionPreface.Bytes))
        {
            return null;
        }

        return preface.StartsWith(ConnectionPreface.Magic)
            ? $"the peer speaks version {preface[^1]} of this protocol, this process version {ConnectionPreface.Version}"
            : "the peer does not speak this protocol (wrong connection preface)";
    }

    /// <summary>Handles every complete frame in <paramref name="buffer"/>, leaving it at the first incomplete one; returns a protocol problem, if any.</summary>
    private string? ReadFrames(ref ReadOnlySequence<byte> buffer, ref bool helloRead)
    {
        while (buffer.Length >= FrameHeader.Size)
        {
            var header = FrameHeader.Read(buffer);
            if (header.Length > (uint)_options.MaxFrameSize)
            {
                return $"a {header.Kind} frame of {header.Length} bytes exceeds the maximum frame size of {_options.MaxFrameSize} bytes";
            }

            if (buffer.Length < FrameHeader.Size + header.Length)
            {
                return null;
            }

            var payload = buffer.Slice(FrameHeader.Size, header.Length);
            var problem = helloRead ? Dispatch(header, payload) : ReadHello(header, payload);
            if (problem is not null)
            {
                return problem;
            }

            helloRead = true;
            Traffic.FrameReceived(header.Kind);
            buffer = buffer.Slice(payload.End);
        }

        return null;
    }

    /// <summary>The first frame on an accepted connection: the dialer says where it accepts connections, and the owner routes its calls to that peer here.</summary>
    private string? ReadHello(FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        if (header.Kind != FrameKind.Hello)
        {
            return $"the first frame is of kind {(byte)header.Kind}, not a hello";
        }

        if (!HelloPayload.TryDecode(payload, out var announced))
        {
            return "a malformed hello";
        }

        if (announced is not null)
        {
            Volatile.Write(ref _remote, announced);
            _owner.OnPeerAnnounced(this);
        }

        return null;
    }

    private string? Dispatch(FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        switch (header.Kind)
        {
            case FrameKind.Request:
                // Counted before the refusal is checked, and RefuseRequests fences too: a drain that
                // sees no request in service after refusing cannot miss one that slipped past the check.
                Interlocked.Increment(ref _serving);
                if (Volatile.Read(ref _refusing) != 0)
                {
                    // Said, not dropped: the caller learns the request never ran and may send it elsewhere.
                    Interlocked.Decrement(ref _serving);
                    WriteRefusal(header.CorrelationId);
                    return null;
                }

                ThreadPool.UnsafeQueueUserWorkItem(new InboundRequest(this, header.CorrelationId, payload.ToArray()), preferLocal: false);
                return null;
            case FrameKind.Response:
                // No entry: the caller gave up (cancelled) and the late response is dropped.
                if (_pending.TryRemove(header.CorrelationId, out var answered))
                {
                    answered.TrySetResult(payload.ToArray());
                    CloseIfRetiredAndIdle();
                }

                return null;
            case FrameKind.ErrorResponse:
                if (!ErrorPayload.TryDecode(payload, out var type, out var message))
                {
                    return "a malformed error response";
                }

                if (_pending.TryRemove(header.CorrelationId, out var failed))
                {
                    failed.TrySetException(type == RefusedType
                        ? new TransportException(Remote, "the peer is shutting down and refused the request without running it.")
                        : new RemoteHandlerException(Remote, type, message));
                    CloseIfRetiredAndIdle();
                }

                return null;
            case FrameKind.Ping:
                WriteControl(FrameKind.Pong, header.CorrelationId);
                return null;
            case FrameKind.Pong:
                // Receiving it already counted as hearing from the peer.
                return null;
            case FrameKind.GoAway:
                _peerRetired = header.CorrelationId == (long)GoAwayCode.Duplicate;
                _peerGoingAway = true;
                if (_peerRetired)
                {
                    _logger.PeerRetiredConnection(Remote);
                }
                else
                {
                    _logger.PeerGoingAway(Remote);
                }

                return null;
            default:
                return $"an unexpected frame of kind {(byte)header.Kind} on an {(IsOutbound ? "outbound" : "inbound")} connection";
        }
    }

    private async Task KeepaliveLoopAsync()
    {
        var interval = _options.KeepaliveInterval;
        var timeout = _options.KeepaliveTimeout;

        // Checking four times per the shorter period detects silence within a quarter of it.
        using var timer = new PeriodicTimer((interval < timeout ? interval : timeout) / 4);
        long pingSentAt = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token))
            {
                var lastReceived = Volatile.Read(ref _lastReceived);
                if (pingSentAt > lastReceived)
                {
                    if (Stopwatch.GetElapsedTime(pingSentAt) >= timeout)
                    {
                        _logger.KeepaliveTimedOut(Remote, timeout);
                        Abort(ConnectionCloseReason.KeepaliveTimeout, $"no answer to a keepalive ping within {timeout}");
                        return;
                    }
                }
                else if (Stopwatch.GetElapsedTime(lastReceived) >= interval)
                {
                    pingSentAt = Stopwatch.GetTimestamp();
                    WriteControl(FrameKind.Ping, 0);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection closed.
        }
    }

    private sealed record ClosedState(ConnectionCloseReason Class, string Reason, Exception? Cause);

    private static string Describe(Exception exception) =>
        exception is IOException { InnerException: SocketException socket } ? socket.SocketErrorCode.ToString() : exception.Message;
}
