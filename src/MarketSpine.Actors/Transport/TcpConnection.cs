using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// One TCP connection of <see cref="TcpMessageTransport"/>, multiplexing concurrent calls by
/// correlation id. Senders copy their frames into one outgoing pipe under a short lock; a single
/// send loop drains whatever has accumulated in one go, so many small frames leave in few socket
/// writes. A single read loop parses frames, completes waiting callers, and queues incoming
/// requests to the thread pool. A keepalive loop pings when the peer has been silent. The first
/// failure of any loop closes the connection and fails every pending call with it.
/// </summary>
internal sealed class TcpConnection : IAsyncDisposable
{
    // A graceful close gives the send loop this long to put the goaway on the wire; a peer that
    // stopped reading cannot hold up the transport's shutdown.
    private static readonly TimeSpan GoAwayDrainLimit = TimeSpan.FromSeconds(1);

    private readonly NetworkStream _stream;
    private readonly IRequestHandler? _handler;
    private readonly TcpTransportOptions _options;
    private readonly ILogger _logger;
    private readonly Action<TcpConnection> _onClosed;
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

    private long _nextCorrelationId;
    private long _lastReceived = Stopwatch.GetTimestamp();
    private ClosedState? _closed;
    private volatile bool _peerGoingAway;

    // Requests read off this connection whose response is not yet written, and whether new ones are
    // dropped unserved: together they let a draining transport close only once nothing it ran is
    // left unanswered (see RefuseRequests).
    private int _serving;
    private int _refusing;

    // Guarded by _writeLock.
    private long _buffered;
    private bool _writerCompleted;
    private TaskCompletionSource? _drained;

    private Task _sendLoop = Task.CompletedTask;
    private Task _readLoop = Task.CompletedTask;
    private Task _keepaliveLoop = Task.CompletedTask;

    public TcpConnection(Socket socket, IPEndPoint remote, IRequestHandler? handler, TcpTransportOptions options, ILogger logger, Action<TcpConnection> onClosed)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        Local = socket.LocalEndPoint;
        Remote = remote;
        _handler = handler;
        _options = options;
        _logger = logger;
        _onClosed = onClosed;
    }

    public EndPoint? Local { get; }

    /// <summary>The peer: the endpoint this side connected to, or the client's address on an accepted connection.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>Opened by this side to send requests (the other side serves them).</summary>
    public bool IsOutbound => _handler is null;

    /// <summary>New calls may use this connection: it is open and the peer has not announced its shutdown.</summary>
    public bool IsUsable => Volatile.Read(ref _closed) is null && !_peerGoingAway;

    /// <summary>Whether a request this side has started to serve still waits for its response to be written.</summary>
    public bool IsServing => Volatile.Read(ref _serving) > 0 && Volatile.Read(ref _closed) is null;

    /// <summary>
    /// Sends goaway: the peer sends no new requests on this connection, but what it has sent is still
    /// served and answered, and its own calls on it go on.
    /// </summary>
    public void AnnounceShutdown() => WriteControl(FrameKind.GoAway, 0);

    /// <summary>
    /// Drops every request that arrives from now on without running it: the peer's call fails when
    /// the connection closes, and having never run it may be sent elsewhere. Requests already started
    /// finish; <see cref="IsServing"/> says when.
    /// </summary>
    public void RefuseRequests() => Interlocked.Exchange(ref _refusing, 1);

    public void Start()
    {
        lock (_writeLock)
        {
            WriteLocked(ConnectionPreface.Bytes);
            FlushLocked();
        }

        // On the thread pool: started from whichever send opened the connection, the loops must not
        // carry on in that caller's synchronization context.
        _sendLoop = Task.Run(SendLoopAsync);
        _readLoop = Task.Run(ReadLoopAsync);
        _keepaliveLoop = Task.Run(KeepaliveLoopAsync);
    }

    public async Task<byte[]> SendRequestAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var correlationId = Interlocked.Increment(ref _nextCorrelationId);
        var call = new PendingCall(_pending, correlationId);
        _pending[correlationId] = call;

        // Close marks the connection closed before it fails the pending calls: a call added after
        // that sweep sees the mark here.
        if (Volatile.Read(ref _closed) is not null)
        {
            _pending.TryRemove(correlationId, out _);
            throw CloseError();
        }

        try
        {
            await WriteAsync(FrameKind.Request, correlationId, request, cancellationToken);
        }
        catch
        {
            _pending.TryRemove(correlationId, out _);
            throw;
        }

        using var registration = cancellationToken.UnsafeRegister(static (state, token) => ((PendingCall)state!).Abandon(token), call);
        return await call.Task;
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
        }
    }

    private async Task ServeCoreAsync(long correlationId, byte[] request)
    {
        FrameKind kind;
        byte[] response;
        try
        {
            response = await _handler!.HandleAsync(request, _closing.Token);
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

        try
        {
            await WriteAsync(kind, correlationId, response, _closing.Token);
        }
        catch (Exception exception) when (exception is TransportException or OperationCanceledException)
        {
            // The connection closed while the handler ran; the caller's call already failed with it.
        }
    }

    /// <summary>Closes at once: no goaway, the socket is dropped, pending calls fail with <paramref name="reason"/>.</summary>
    public void Abort(string reason, Exception? cause = null) => Close(reason, cause, goAway: false);

    /// <summary>Sends goaway, fails pending calls, and closes once the goaway is written (bounded).</summary>
    public async ValueTask DisposeAsync()
    {
        Close("the transport is shutting down", null, goAway: true);
        try
        {
            await _sendLoop.WaitAsync(GoAwayDrainLimit);
        }
        catch (TimeoutException)
        {
            // The peer is not reading; it will learn of the shutdown from the closed socket.
        }

        _stream.Dispose();
        await Task.WhenAll(_sendLoop, _readLoop, _keepaliveLoop);
    }

    private void Close(string reason, Exception? cause, bool goAway)
    {
        // The reason is published with the closed mark, so a sender that sees one sees the other.
        if (Interlocked.CompareExchange(ref _closed, new ClosedState(reason, cause), null) is not null)
        {
            return;
        }

        TaskCompletionSource? drained;
        lock (_writeLock)
        {
            if (goAway)
            {
                WriteFrameLocked(FrameKind.GoAway, 0, default);
            }

            // The send loop writes out what is buffered, then sees the end of the pipe and stops.
            _writerCompleted = true;
            _outgoing.Writer.Complete();
            drained = _drained;
            _drained = null;
        }

        drained?.TrySetResult();
        var failed = 0;
        foreach (var correlationId in _pending.Keys)
        {
            if (_pending.TryRemove(correlationId, out var call) && call.TrySetException(CloseError()))
            {
                failed++;
            }
        }

        _closing.Cancel();
        if (!goAway)
        {
            _stream.Dispose();
        }

        _logger.ConnectionClosed(Remote, reason, failed);
        _onClosed(this);
    }

    // A new exception for each caller: one instance rethrown on many threads would have its stack
    // trace rewritten concurrently.
    private TransportException CloseError()
    {
        var closed = Volatile.Read(ref _closed)!;
        return new(Remote, $"the connection closed ({closed.Reason}).", closed.Cause);
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

    /// <summary>A control frame (ping, pong): tiny, so it skips the high-water wait; dropped once the connection is closing.</summary>
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
            Abort("sending failed: " + Describe(exception), exception);
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
                    prefaceRead = IsPreface(buffer);
                    problem = prefaceRead ? null : "the peer does not speak this protocol (wrong connection preface)";
                    buffer = buffer.Slice(ConnectionPreface.Bytes.Length);
                }

                if (prefaceRead && problem is null)
                {
                    problem = ReadFrames(ref buffer);
                }

                if (problem is not null)
                {
                    _logger.ProtocolError(Remote, problem);
                    reason = "protocol error: " + problem;
                    break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    reason = _peerGoingAway ? "the peer shut down" : "the peer closed the connection";
                    break;
                }
            }
        }
        catch (Exception exception)
        {
            // Whatever ends the read loop must close the connection, or its pending calls would hang.
            reason = "receiving failed: " + Describe(exception);
            cause = exception;
        }
        finally
        {
            await reader.CompleteAsync();
        }

        Abort(reason, cause);
    }

    private static bool IsPreface(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> preface = stackalloc byte[ConnectionPreface.Bytes.Length];
        buffer.Slice(0, preface.Length).CopyTo(preface);
        return preface.SequenceEqual(ConnectionPreface.Bytes);
    }

    /// <summary>Handles every complete frame in <paramref name="buffer"/>, leaving it at the first incomplete one; returns a protocol problem, if any.</summary>
    private string? ReadFrames(ref ReadOnlySequence<byte> buffer)
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
            var problem = Dispatch(header, payload);
            if (problem is not null)
            {
                return problem;
            }

            buffer = buffer.Slice(payload.End);
        }

        return null;
    }

    private string? Dispatch(FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        switch (header.Kind)
        {
            case FrameKind.Request when _handler is not null:
                // Counted before the refusal is checked, and RefuseRequests fences too: a drain that
                // sees no request in service after refusing cannot miss one that slipped past the check.
                Interlocked.Increment(ref _serving);
                if (Volatile.Read(ref _refusing) != 0)
                {
                    Interlocked.Decrement(ref _serving);
                    return null;
                }

                ThreadPool.UnsafeQueueUserWorkItem(new InboundRequest(this, header.CorrelationId, payload.ToArray()), preferLocal: false);
                return null;
            case FrameKind.Response:
                // No entry: the caller gave up (cancelled) and the late response is dropped.
                if (_pending.TryRemove(header.CorrelationId, out var answered))
                {
                    answered.TrySetResult(payload.ToArray());
                }

                return null;
            case FrameKind.ErrorResponse:
                if (!ErrorPayload.TryDecode(payload, out var type, out var message))
                {
                    return "a malformed error response";
                }

                if (_pending.TryRemove(header.CorrelationId, out var failed))
                {
                    failed.TrySetException(new RemoteHandlerException(Remote, type, message));
                }

                return null;
            case FrameKind.Ping:
                WriteControl(FrameKind.Pong, header.CorrelationId);
                return null;
            case FrameKind.Pong:
                // Receiving it already counted as hearing from the peer.
                return null;
            case FrameKind.GoAway:
                _peerGoingAway = true;
                _logger.PeerGoingAway(Remote);
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
                        Abort($"no answer to a keepalive ping within {timeout}");
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

    private sealed record ClosedState(string Reason, Exception? Cause);

    private static string Describe(Exception exception) =>
        exception is IOException { InnerException: SocketException socket } ? socket.SocketErrorCode.ToString() : exception.Message;
}
