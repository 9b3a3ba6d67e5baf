using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static MarketSpine.Actors.Tests.Transport.TransportTests;

namespace MarketSpine.Actors.Tests.Transport;

/// <summary>What only a network transport has: connections that drop, frames, keepalive, reconnects.</summary>
public sealed class TcpMessageTransportTests : IAsyncLifetime
{
    private const int SmallFrameLimit = TcpTransportOptions.MinimumMaxFrameSize;

    private readonly List<TcpMessageTransport> _transports = [];

    [Fact]
    public async Task A_disposed_server_answers_what_it_is_serving_and_takes_nothing_new()
    {
        var release = new TaskCompletionSource();
        var handler = new TestHandler(async (request, _) =>
        {
            await release.Task;
            return request;
        });
        var server = await StartServerAsync(handler);
        var endpoint = server.LocalEndpoint!;
        var client = NewTransport();
        var sends = Enumerable.Range(0, 50).Select(i => client.SendAsync(endpoint, Bytes($"call {i}"), CancellationToken.None)).ToArray();
        await handler.Received.WaitForAsync(50);

        var disposal = server.DisposeAsync().AsTask();
        await Eventually.TrueAsync(() => Task.FromResult(client.OutboundConnectionCount == 0), WaitLimit, "the client heard the goaway");
        var late = await Assert.ThrowsAsync<TransportException>(() => client.SendAsync(endpoint, Bytes("late"), CancellationToken.None).WaitAsync(WaitLimit));
        Assert.False(disposal.IsCompleted, "The server closed while it was still serving requests.");
        release.SetResult();
        await disposal.WaitAsync(WaitLimit);

        for (var i = 0; i < sends.Length; i++)
        {
            Assert.Equal($"call {i}", Text(await sends[i].WaitAsync(WaitLimit)));
        }

        Assert.Equal(endpoint, late.Peer);
        Assert.Equal(50, handler.Received.Count);
    }

    [Fact]
    public async Task A_server_disposed_mid_flight_fails_every_pending_send_after_its_drain_timeout_and_after_a_restart_on_the_same_port_sends_work_again()
    {
        var cancelled = new CountSignal();
        var handler = new TestHandler(async (request, cancellationToken) =>
        {
            try
            {
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
                return request;
            }
            catch (OperationCanceledException)
            {
                cancelled.Signal();
                throw;
            }
        });
        var server = await StartServerAsync(handler, new TcpTransportOptions { DrainTimeout = TimeSpan.FromMilliseconds(300) });
        var endpoint = server.LocalEndpoint!;
        var client = NewTransport();
        var sends = Enumerable.Range(0, 100).Select(i => client.SendAsync(endpoint, Bytes($"call {i}"), CancellationToken.None)).ToArray();
        await handler.Received.WaitForAsync(100);
        var watch = Stopwatch.StartNew();

        await server.DisposeAsync().AsTask().WaitAsync(WaitLimit);

        foreach (var send in sends)
        {
            var error = await Assert.ThrowsAsync<TransportException>(() => send.WaitAsync(WaitLimit));
            Assert.Equal(endpoint, error.Peer);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"The pending sends took {watch.Elapsed} to fail.");
        await cancelled.WaitForAsync(100);
        await server.DisposeAsync().AsTask().WaitAsync(WaitLimit);

        await StartServerAsync(TestHandler.Echo(), bind: endpoint);
        Assert.Equal("again", Text(await client.SendAsync(endpoint, Bytes("again"), CancellationToken.None).WaitAsync(WaitLimit)));
        Assert.Equal(1, client.OutboundConnectionCount);
    }

    [Fact]
    public async Task Disposing_the_client_fails_its_pending_sends_and_a_second_dispose_is_fine()
    {
        var handler = new TestHandler((_, _) => new TaskCompletionSource<byte[]>().Task);
        var server = await StartServerAsync(handler);
        var client = NewTransport();
        var sends = Enumerable.Range(0, 10).Select(_ => client.SendAsync(server.LocalEndpoint!, Bytes("held"), CancellationToken.None)).ToArray();
        await handler.Received.WaitForAsync(10);

        await client.DisposeAsync().AsTask().WaitAsync(WaitLimit);
        await client.DisposeAsync().AsTask().WaitAsync(WaitLimit);

        foreach (var send in sends)
        {
            await Assert.ThrowsAsync<TransportException>(() => send.WaitAsync(WaitLimit));
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SendAsync(server.LocalEndpoint!, Bytes("late"), CancellationToken.None));
    }

    [Fact]
    public async Task An_oversized_frame_is_a_protocol_error_that_closes_the_connection_and_fails_its_pending_sends()
    {
        var log = new ListLogger<TcpMessageTransport>();
        var handler = new TestHandler(async (request, cancellationToken) =>
        {
            if (Text(request) == "held")
            {
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
            }

            return request;
        });
        var server = await StartServerAsync(handler, new TcpTransportOptions { MaxFrameSize = SmallFrameLimit }, log);
        var client = NewTransport();
        var pending = Enumerable.Range(0, 10).Select(_ => client.SendAsync(server.LocalEndpoint!, Bytes("held"), CancellationToken.None)).ToList();
        await handler.Received.WaitForAsync(10);

        pending.Add(client.SendAsync(server.LocalEndpoint!, new byte[SmallFrameLimit + 1], CancellationToken.None));

        foreach (var send in pending)
        {
            var error = await Assert.ThrowsAsync<TransportException>(() => send.WaitAsync(WaitLimit));
            Assert.Contains("the connection closed", error.Message, StringComparison.Ordinal);
        }

        Assert.Contains(log.Entries, entry => entry.Level == LogLevel.Error
            && entry.Message.Contains($"a Request frame of {SmallFrameLimit + 1} bytes exceeds the maximum frame size of {SmallFrameLimit} bytes", StringComparison.Ordinal));
        Assert.Equal("next", Text(await client.SendAsync(server.LocalEndpoint!, Bytes("next"), CancellationToken.None).WaitAsync(WaitLimit)));
    }

    [Fact]
    public async Task A_request_over_the_senders_own_frame_limit_is_refused_before_it_leaves_and_the_connection_stays()
    {
        var server = await StartServerAsync(TestHandler.Echo());
        var client = NewTransport(new TcpTransportOptions { MaxFrameSize = SmallFrameLimit });
        await client.SendAsync(server.LocalEndpoint!, Bytes("first"), CancellationToken.None).WaitAsync(WaitLimit);

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(server.LocalEndpoint!, new byte[SmallFrameLimit + 1], CancellationToken.None));

        Assert.Equal("second", Text(await client.SendAsync(server.LocalEndpoint!, Bytes("second"), CancellationToken.None).WaitAsync(WaitLimit)));
        Assert.Equal((1, 1), (client.OutboundConnectionCount, server.InboundConnectionCount));
    }

    [Fact]
    public async Task A_response_over_the_frame_limit_comes_back_as_a_RemoteHandlerException()
    {
        var server = await StartServerAsync(new TestHandler((_, _) => Task.FromResult(new byte[SmallFrameLimit + 1])), new TcpTransportOptions { MaxFrameSize = SmallFrameLimit });
        var client = NewTransport();

        var error = await Assert.ThrowsAsync<RemoteHandlerException>(() => client.SendAsync(server.LocalEndpoint!, Bytes("big"), CancellationToken.None).WaitAsync(WaitLimit));

        Assert.Equal("System.InvalidOperationException", error.RemoteType);
        Assert.Equal($"The response of {SmallFrameLimit + 1} bytes exceeds the maximum frame size of {SmallFrameLimit} bytes.", error.RemoteMessage);
    }

    [Fact]
    public async Task Sustained_concurrent_load_of_frames_larger_than_the_send_buffer_limit_never_stalls()
    {
        // Frames span several of the pipe's 64 KiB segments and the limit is a few frames: senders
        // keep waiting for room and the send loop keeps releasing it while writers reuse the
        // segments it has just sent. Any drift in counting the buffered bytes would leave senders
        // waiting for room that never comes.
        var options = new TcpTransportOptions { SendBufferLimit = 256 * 1024 };
        var server = await StartServerAsync(TestHandler.Echo(), options);
        var client = NewTransport(options);
        var payload = new byte[100 * 1024];

        var calls = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                Assert.Equal(payload.Length, (await client.SendAsync(server.LocalEndpoint!, payload, CancellationToken.None)).Length);
            }

            return 25;
        }))).WaitAsync(WaitLimit);

        Assert.Equal(32 * 25, calls.Sum());
    }

    [Fact]
    public async Task Concurrent_first_sends_to_a_peer_share_one_connection()
    {
        var server = await StartServerAsync(TestHandler.Echo());
        var client = NewTransport();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sends = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            await go.Task;
            return await client.SendAsync(server.LocalEndpoint!, Bytes($"first {i}"), CancellationToken.None);
        })).ToArray();

        go.SetResult();

        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"first {i}"), (await Task.WhenAll(sends).WaitAsync(WaitLimit)).Select(Text));
        Assert.Equal((1, 1), (client.OutboundConnectionCount, server.InboundConnectionCount));
    }

    [Fact]
    public async Task A_peer_that_stops_answering_is_detected_by_keepalive_and_the_pending_send_fails()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptSocketAsync();
        var options = new TcpTransportOptions { KeepaliveInterval = TimeSpan.FromMilliseconds(200), KeepaliveTimeout = TimeSpan.FromMilliseconds(300) };
        var client = NewTransport(options);
        var watch = Stopwatch.StartNew();

        var send = client.SendAsync((IPEndPoint)silent.LocalEndpoint, Bytes("anyone?"), CancellationToken.None);
        using var neverReads = await accepted.WaitAsync(WaitLimit);

        var error = await Assert.ThrowsAsync<TransportException>(() => send.WaitAsync(WaitLimit));
        Assert.Contains("no answer to a keepalive ping within 00:00:00.3000000", error.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, options.KeepaliveInterval + options.KeepaliveTimeout, options.KeepaliveInterval + options.KeepaliveTimeout + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task An_idle_connection_whose_peer_answers_pings_stays_open()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync();

        // The timeout is shorter than the interval: had the first pong not counted, the connection
        // would close before the second ping is due.
        var client = NewTransport(new TcpTransportOptions { KeepaliveInterval = TimeSpan.FromMilliseconds(200), KeepaliveTimeout = TimeSpan.FromMilliseconds(100) });
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        var first = client.SendAsync(endpoint, Bytes("first"), CancellationToken.None);
        using var peer = new RawPeer(await accepting.WaitAsync(WaitLimit));
        Assert.Null(await peer.ReadPrefaceAndHelloAsync());
        var request = await peer.ReadFrameAsync();
        await peer.WritePrefaceAsync();
        await peer.WriteFrameAsync(FrameKind.Response, request.CorrelationId, Bytes("first answered"));
        Assert.Equal("first answered", Text(await first.WaitAsync(WaitLimit)));

        for (var ping = 0; ping < 2; ping++)
        {
            var frame = await peer.ReadFrameAsync();
            Assert.Equal(FrameKind.Ping, frame.Kind);
            await peer.WriteFrameAsync(FrameKind.Pong, frame.CorrelationId, []);
        }

        var second = client.SendAsync(endpoint, Bytes("second"), CancellationToken.None);
        request = await peer.ReadFrameAsync();
        Assert.Equal((FrameKind.Request, "second"), (request.Kind, Text(request.Payload)));
        await peer.WriteFrameAsync(FrameKind.Response, request.CorrelationId, Bytes("second answered"));
        Assert.Equal("second answered", Text(await second.WaitAsync(WaitLimit)));
        Assert.Equal(1, client.OutboundConnectionCount);
    }

    [Fact]
    public async Task A_peer_that_does_not_accept_fails_the_send_at_the_connect_timeout()
    {
        // Nothing accepts and the backlog is minimal: once the accept queue is full, the kernel drops
        // further connection attempts, which then hang as towards an unreachable host.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(AnyLoopbackPort);
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 16; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                using var attempt = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                try
                {
                    await filler.ConnectAsync(endpoint, attempt.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var options = new TcpTransportOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) };
            var client = NewTransport(options);
            var watch = Stopwatch.StartNew();

            var error = await Assert.ThrowsAsync<TransportException>(() => client.SendAsync(endpoint, Bytes("hello?"), CancellationToken.None).WaitAsync(WaitLimit));

            Assert.Equal($"{endpoint}: no connection within the connect timeout of 00:00:00.3000000.", error.Message);
            // Timers count whole milliseconds and may fire a fraction of one early by the Stopwatch.
            Assert.InRange(watch.Elapsed, options.ConnectTimeout - TimeSpan.FromMilliseconds(20), options.ConnectTimeout + TimeSpan.FromSeconds(2));
        }
        finally
        {
            fillers.ForEach(filler => filler.Dispose());
        }
    }

    [Fact]
    public async Task The_server_answers_pings_and_requests_in_the_documented_wire_format()
    {
        var server = await StartServerAsync(new TestHandler((request, _) => Task.FromResult(Bytes("re: " + Text(request)))));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndpoint!);

        await peer.WritePrefaceAsync();
        await peer.WriteHelloAsync(null);
        await peer.WriteFrameAsync(FrameKind.Ping, 7, []);
        await peer.WriteFrameAsync(FrameKind.Request, 8, Bytes("raw"));

        await peer.ReadPrefaceAsync();
        var frames = new[] { await peer.ReadFrameAsync(), await peer.ReadFrameAsync() };
        Assert.Contains(frames, frame => frame is (FrameKind.Pong, 7, []));
        Assert.Contains(frames, frame => frame.Kind == FrameKind.Response && frame.CorrelationId == 8 && Text(frame.Payload) == "re: raw");
    }

    [Fact]
    public async Task A_client_that_does_not_speak_the_protocol_is_disconnected_with_a_protocol_error()
    {
        var log = new ListLogger<TcpMessageTransport>();
        var server = await StartServerAsync(TestHandler.Echo(), logger: log);
        using var stranger = await RawPeer.ConnectAsync(server.LocalEndpoint!);

        await stranger.WriteAsync(Bytes("GET / HTTP/1.1\r\nHost: silo\r\n\r\n"));

        await stranger.ReadUntilClosedAsync();
        Assert.Contains(log.Entries, entry => entry.Level == LogLevel.Error && entry.Message.Contains("wrong connection preface", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData((byte)99, new byte[0], "an unexpected frame of kind 99 on an outbound connection")]
    [InlineData((byte)FrameKind.Hello, new byte[0], "an unexpected frame of kind 7 on an outbound connection")]
    [InlineData((byte)FrameKind.ErrorResponse, new byte[] { 200, 0 }, "a malformed error response")]
    public async Task A_malformed_frame_from_the_server_closes_the_connection_and_fails_the_pending_send(byte kind, byte[] payload, string problem)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync();
        var client = NewTransport();
        var send = client.SendAsync((IPEndPoint)listener.LocalEndpoint, Bytes("call"), CancellationToken.None);
        using var peer = new RawPeer(await accepting.WaitAsync(WaitLimit));
        await peer.ReadPrefaceAndHelloAsync();
        var request = await peer.ReadFrameAsync();

        await peer.WritePrefaceAsync();
        await peer.WriteFrameAsync((FrameKind)kind, request.CorrelationId, payload);

        var error = await Assert.ThrowsAsync<TransportException>(() => send.WaitAsync(WaitLimit));
        Assert.Contains($"the connection closed (protocol error: {problem})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        var logger = NullLogger<TcpMessageTransport>.Instance;
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpMessageTransport(new TcpTransportOptions { ConnectTimeout = TimeSpan.Zero }, logger));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpMessageTransport(new TcpTransportOptions { MaxFrameSize = SmallFrameLimit - 1 }, logger));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpMessageTransport(new TcpTransportOptions { KeepaliveInterval = TimeSpan.Zero }, logger));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpMessageTransport(new TcpTransportOptions { KeepaliveTimeout = -TimeSpan.FromSeconds(1) }, logger));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpMessageTransport(new TcpTransportOptions { SendBufferLimit = 0 }, logger));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpMessageTransport(new TcpTransportOptions { DrainTimeout = -TimeSpan.FromSeconds(1) }, logger));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync().AsTask().WaitAsync(WaitLimit);
        }
    }

    private TcpMessageTransport NewTransport(TcpTransportOptions? options = null, ILogger<TcpMessageTransport>? logger = null)
    {
        var transport = new TcpMessageTransport(options ?? new TcpTransportOptions(), logger ?? NullLogger<TcpMessageTransport>.Instance);
        _transports.Add(transport);
        return transport;
    }

    private async Task<TcpMessageTransport> StartServerAsync(
        IRequestHandler handler, TcpTransportOptions? options = null, ILogger<TcpMessageTransport>? logger = null, IPEndPoint? bind = null)
    {
        var server = NewTransport(options, logger);
        await server.StartAsync(bind ?? AnyLoopbackPort, advertised: null, handler, CancellationToken.None);
        return server;
    }
}
