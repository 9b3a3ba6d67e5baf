using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static MarketSpine.Actors.Tests.Transport.TransportTests;

namespace MarketSpine.Actors.Tests.Transport;

/// <summary>
/// One connection per pair of processes: the side that dialed announces where it accepts connections,
/// the other side sends its own calls back on the same connection, simultaneous dials converge on one
/// connection, and a client, which accepts none, can never be called.
/// </summary>
public sealed class TcpBidirectionalTransportTests : IAsyncLifetime
{
    private readonly List<TcpMessageTransport> _transports = [];

    [Fact]
    public async Task Two_started_transports_calling_each_other_share_one_connection()
    {
        var a = await StartAsync(Answer("a"));
        var b = await StartAsync(Answer("b"));

        Assert.Equal("b: 1", Text(await a.SendAsync(b.LocalEndpoint!, Bytes("1"), CancellationToken.None).WaitAsync(WaitLimit)));
        Assert.Equal("a: 2", Text(await b.SendAsync(a.LocalEndpoint!, Bytes("2"), CancellationToken.None).WaitAsync(WaitLimit)));
        Assert.Equal("b: 3", Text(await a.SendAsync(b.LocalEndpoint!, Bytes("3"), CancellationToken.None).WaitAsync(WaitLimit)));

        Assert.Equal((1, 0), (a.OutboundConnectionCount, a.InboundConnectionCount));
        Assert.Equal((0, 1), (b.OutboundConnectionCount, b.InboundConnectionCount));
        Assert.Equal((1, 1), (a.GetStatistics().ConnectionsOpened, b.GetStatistics().ConnectionsOpened));
    }

    [Fact]
    public async Task Ten_thousand_calls_each_way_run_concurrently_on_the_one_connection()
    {
        var a = await StartAsync(Negate());
        var b = await StartAsync(Negate());
        await a.SendAsync(b.LocalEndpoint!, Number(0), CancellationToken.None).WaitAsync(WaitLimit);

        var aToB = Task.Run(() => Task.WhenAll(Enumerable.Range(1, 10_000).Select(i => a.SendAsync(b.LocalEndpoint!, Number(i), CancellationToken.None))));
        var bToA = Task.Run(() => Task.WhenAll(Enumerable.Range(1, 10_000).Select(i => b.SendAsync(a.LocalEndpoint!, Number(i), CancellationToken.None))));
        var responses = await Task.WhenAll(aToB, bToA).WaitAsync(WaitLimit);

        Assert.All(responses, answers => Assert.Equal(Enumerable.Range(1, 10_000).Select(i => -i), answers.Select(r => BinaryPrimitives.ReadInt32LittleEndian(r))));
        Assert.Equal((1, 1), (a.GetStatistics().OpenConnections, b.GetStatistics().OpenConnections));
        Assert.Equal((10_001L, 10_000L), (a.GetStatistics().RequestsSent, a.GetStatistics().RequestsServed));
    }

    [Fact]
    public async Task A_dropped_connection_fails_the_pending_calls_of_both_sides_and_the_next_sends_reconnect()
    {
        // B binds one endpoint and advertises another, as a silo in a pod does: the relay's.
        using var relay = new TcpRelay();
        var held = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var aHandler = new TestHandler((request, _) => Text(request) == "held" ? held.Task : Task.FromResult(Bytes("a: " + Text(request))));
        var bHandler = new TestHandler((request, _) => Text(request) == "held" ? held.Task : Task.FromResult(Bytes("b: " + Text(request))));
        var a = await StartAsync(aHandler);
        var b = await StartAsync(bHandler, advertised: relay.Endpoint);
        relay.RelayTo(b.LocalEndpoint!);
        await a.SendAsync(relay.Endpoint, Bytes("hello"), CancellationToken.None).WaitAsync(WaitLimit);
        var aPending = a.SendAsync(relay.Endpoint, Bytes("held"), CancellationToken.None);
        var bPending = b.SendAsync(a.LocalEndpoint!, Bytes("held"), CancellationToken.None);
        await aHandler.Received.WaitForAsync(1);
        await bHandler.Received.WaitForAsync(2);
        Assert.Equal((1, 1, 1), (relay.Relayed, a.GetStatistics().OpenConnections, b.GetStatistics().OpenConnections));

        relay.Drop();

        Assert.Equal(relay.Endpoint, (await Assert.ThrowsAsync<TransportException>(() => aPending.WaitAsync(WaitLimit))).Peer);
        Assert.Equal(a.LocalEndpoint, (await Assert.ThrowsAsync<TransportException>(() => bPending.WaitAsync(WaitLimit))).Peer);
        Assert.Equal("a: again", Text(await b.SendAsync(a.LocalEndpoint!, Bytes("again"), CancellationToken.None).WaitAsync(WaitLimit)));
        Assert.Equal("b: again", Text(await a.SendAsync(relay.Endpoint, Bytes("again"), CancellationToken.None).WaitAsync(WaitLimit)));

        // B dialed A directly and announced the relay's endpoint, so A's call to it took B's connection.
        Assert.Equal(1, relay.Relayed);
        Assert.Equal((0, 1), (a.OutboundConnectionCount, a.InboundConnectionCount));
        Assert.Equal((1, 0), (b.OutboundConnectionCount, b.InboundConnectionCount));
        held.SetResult(Bytes("late"));
    }

    [Fact]
    public async Task Simultaneous_first_sends_both_ways_converge_on_one_connection()
    {
        // Repeated, so that in some rounds each side has dialed before it hears of the other's dial.
        for (var round = 0; round < 10; round++)
        {
            var a = await StartAsync(Answer("a"));
            var b = await StartAsync(Answer("b"));
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sends = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
            {
                await go.Task;
                return i % 2 == 0
                    ? Text(await a.SendAsync(b.LocalEndpoint!, Bytes("x"), CancellationToken.None))
                    : Text(await b.SendAsync(a.LocalEndpoint!, Bytes("x"), CancellationToken.None));
            })).ToArray();

            go.SetResult();

            Assert.Equal(Enumerable.Range(0, 32).Select(i => i % 2 == 0 ? "b: x" : "a: x"), await Task.WhenAll(sends).WaitAsync(WaitLimit));
            await Eventually.TrueAsync(
                () => Task.FromResult(a.GetStatistics().OpenConnections == 1 && b.GetStatistics().OpenConnections == 1), WaitLimit, "one connection left between A and B");
            var opened = (a.GetStatistics().ConnectionsOpened, b.GetStatistics().ConnectionsOpened);

            // Where both dialed, each side retired the same one of the two connections.
            Assert.Equal(opened.Item1, opened.Item2);
            Assert.Equal(opened.Item1 - 1, a.GetStatistics().ConnectionsClosedByReason.GetValueOrDefault("retired"));
            Assert.Equal(opened.Item2 - 1, b.GetStatistics().ConnectionsClosedByReason.GetValueOrDefault("retired"));
            Assert.Equal("b: y", Text(await a.SendAsync(b.LocalEndpoint!, Bytes("y"), CancellationToken.None).WaitAsync(WaitLimit)));
            Assert.Equal("a: y", Text(await b.SendAsync(a.LocalEndpoint!, Bytes("y"), CancellationToken.None).WaitAsync(WaitLimit)));
            Assert.Equal(opened, (a.GetStatistics().ConnectionsOpened, b.GetStatistics().ConnectionsOpened));
            Assert.Equal((1, 1), (a.GetStatistics().OpenConnections, b.GetStatistics().OpenConnections));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task When_both_sides_dial_at_once_the_connection_dialed_by_the_lower_endpoint_is_kept(bool transportSortsLower)
    {
        // 127.0.0.1 sorts before 127.0.0.2 whatever the ports, so the test chooses who wins.
        var (transportAddress, peerAddress) = transportSortsLower ? (IPAddress.Loopback, IPAddress.Parse("127.0.0.2")) : (IPAddress.Parse("127.0.0.2"), IPAddress.Loopback);
        using var listener = new TcpListener(peerAddress, 0);
        listener.Start();
        var peerEndpoint = (IPEndPoint)listener.LocalEndpoint;
        var transport = NewTransport();
        await transport.StartAsync(new IPEndPoint(transportAddress, 0), advertised: null, Answer("t"), CancellationToken.None);

        // The transport dials the peer, which dials the transport before answering.
        var accepting = listener.AcceptSocketAsync();
        var first = transport.SendAsync(peerEndpoint, Bytes("first"), CancellationToken.None);
        using var dialedByTransport = new RawPeer(await accepting.WaitAsync(WaitLimit));
        Assert.Equal(transport.LocalEndpoint, await dialedByTransport.ReadPrefaceAndHelloAsync());
        var firstRequest = await dialedByTransport.ReadFrameAsync();
        using var dialedByPeer = await RawPeer.ConnectAsync(transport.LocalEndpoint!);
        await dialedByPeer.WritePrefaceAsync();
        await dialedByPeer.WriteHelloAsync(peerEndpoint);
        await dialedByPeer.WriteFrameAsync(FrameKind.Request, 1, Bytes("sync"));
        await dialedByPeer.ReadPrefaceAsync();
        Assert.Equal((FrameKind.Response, 1L, "t: sync"), Unpack(await dialedByPeer.ReadFrameAsync()));

        await dialedByTransport.WritePrefaceAsync();
        if (!transportSortsLower)
        {
            // The peer's dial wins: the transport retires its own, yet still gets the answer it waits for there.
            Assert.Equal((FrameKind.GoAway, (long)GoAwayCode.Duplicate, ""), Unpack(await dialedByTransport.ReadFrameAsync()));
        }

        await dialedByTransport.WriteFrameAsync(FrameKind.Response, firstRequest.CorrelationId, Bytes("p: first"));
        Assert.Equal("p: first", Text(await first.WaitAsync(WaitLimit)));
        var second = transport.SendAsync(peerEndpoint, Bytes("second"), CancellationToken.None);
        var kept = transportSortsLower ? dialedByTransport : dialedByPeer;
        var secondRequest = await kept.ReadFrameAsync();
        Assert.Equal((FrameKind.Request, "second"), (secondRequest.Kind, Text(secondRequest.Payload)));
        await kept.WriteFrameAsync(FrameKind.Response, secondRequest.CorrelationId, Bytes("p: second"));
        Assert.Equal("p: second", Text(await second.WaitAsync(WaitLimit)));

        if (transportSortsLower)
        {
            // The peer retires the connection it dialed, as this transport would.
            await dialedByPeer.WriteFrameAsync(FrameKind.GoAway, (long)GoAwayCode.Duplicate, []);
            dialedByPeer.Dispose();
        }
        else
        {
            await dialedByTransport.ReadUntilClosedAsync();
        }

        await Eventually.TrueAsync(() => Task.FromResult(transport.GetStatistics().OpenConnections == 1), WaitLimit, "the duplicate closed");
        Assert.Equal(1, transport.GetStatistics().ConnectionsClosedByReason["retired"]);
    }

    [Fact]
    public async Task A_client_announces_no_endpoint_and_answers_a_request_that_reaches_it_with_an_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync();
        var client = NewTransport();
        var call = client.SendAsync((IPEndPoint)listener.LocalEndpoint, Bytes("call"), CancellationToken.None);
        using var gateway = new RawPeer(await accepting.WaitAsync(WaitLimit));

        Assert.Null(await gateway.ReadPrefaceAndHelloAsync());
        var request = await gateway.ReadFrameAsync();
        await gateway.WritePrefaceAsync();
        await gateway.WriteFrameAsync(FrameKind.Request, request.CorrelationId, Bytes("callback"));

        var error = await gateway.ReadFrameAsync();
        Assert.Equal((FrameKind.ErrorResponse, request.CorrelationId), (error.Kind, error.CorrelationId));
        Assert.Contains("This process serves no requests", Text(error.Payload), StringComparison.Ordinal);
        await gateway.WriteFrameAsync(FrameKind.Response, request.CorrelationId, Bytes("answer"));
        Assert.Equal("answer", Text(await call.WaitAsync(WaitLimit)));
        Assert.Equal(1, client.GetStatistics().RequestsServed);
    }

    [Fact]
    public async Task A_gateway_has_no_route_to_its_client_and_dials_none()
    {
        var gateway = await StartAsync(Answer("g"));
        var client = NewTransport();
        Assert.Equal("g: hi", Text(await client.SendAsync(gateway.LocalEndpoint!, Bytes("hi"), CancellationToken.None).WaitAsync(WaitLimit)));

        // The only address the gateway sees is the client socket's: nothing listens there.
        var clientSocket = UnusedLoopbackEndpoint();
        await Assert.ThrowsAsync<TransportException>(() => gateway.SendAsync(clientSocket, Bytes("callback"), CancellationToken.None).WaitAsync(WaitLimit));

        Assert.Equal((0, 1), (gateway.OutboundConnectionCount, gateway.InboundConnectionCount));
        Assert.Equal(0, client.GetStatistics().RequestsServed);
    }

    [Fact]
    public async Task A_disposed_transport_answers_what_it_serves_on_a_connection_it_dialed_before_it_closes()
    {
        var release = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var aHandler = new TestHandler((_, _) => release.Task);
        var a = await StartAsync(aHandler);
        var b = await StartAsync(Answer("b"));
        await a.SendAsync(b.LocalEndpoint!, Bytes("dial"), CancellationToken.None).WaitAsync(WaitLimit);
        var served = Enumerable.Range(0, 20).Select(_ => b.SendAsync(a.LocalEndpoint!, Bytes("held"), CancellationToken.None)).ToArray();
        await aHandler.Received.WaitForAsync(20);

        var disposal = a.DisposeAsync().AsTask();
        await Eventually.TrueAsync(() => Task.FromResult(b.InboundConnectionCount == 0), WaitLimit, "B heard A's goaway");
        await Assert.ThrowsAsync<TransportException>(() => b.SendAsync(a.LocalEndpoint!, Bytes("late"), CancellationToken.None).WaitAsync(WaitLimit));
        Assert.False(disposal.IsCompleted, "A closed while it was still serving B's requests.");
        release.SetResult(Bytes("answered"));
        await disposal.WaitAsync(WaitLimit);

        Assert.All(await Task.WhenAll(served).WaitAsync(WaitLimit), response => Assert.Equal("answered", Text(response)));
        Assert.Equal(20, aHandler.Received.Count);
    }

    [Fact]
    public async Task A_peer_of_protocol_version_1_is_refused_naming_both_versions()
    {
        var log = new ListLogger<TcpMessageTransport>();
        var server = NewTransport(log);
        await server.StartAsync(AnyLoopbackPort, advertised: null, Answer("s"), CancellationToken.None);
        using var old = await RawPeer.ConnectAsync(server.LocalEndpoint!);

        await old.WriteAsync("MSPT\u0001"u8.ToArray());

        await old.ReadUntilClosedAsync();
        Assert.Contains(log.Entries, entry => entry.Message.Contains("the peer speaks version 1 of this protocol, this process version 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dialer_whose_first_frame_is_not_a_hello_is_disconnected()
    {
        var log = new ListLogger<TcpMessageTransport>();
        var server = NewTransport(log);
        await server.StartAsync(AnyLoopbackPort, advertised: null, Answer("s"), CancellationToken.None);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndpoint!);

        await peer.WritePrefaceAsync();
        await peer.WriteFrameAsync(FrameKind.Request, 1, Bytes("no hello"));

        await peer.ReadUntilClosedAsync();
        Assert.Contains(log.Entries, entry => entry.Message.Contains("the first frame is of kind 1, not a hello", StringComparison.Ordinal));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync().AsTask().WaitAsync(WaitLimit);
        }
    }

    private static TestHandler Answer(string name) => new((request, _) => Task.FromResult(Bytes($"{name}: {Text(request)}")));

    private static TestHandler Negate() => new(async (request, _) =>
    {
        // Yields, so responses leave in another order than the requests came.
        await Task.Yield();
        return Number(-BinaryPrimitives.ReadInt32LittleEndian(request));
    });

    private static byte[] Number(int value)
    {
        var bytes = new byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static (FrameKind Kind, long CorrelationId, string Text) Unpack((FrameKind Kind, long CorrelationId, byte[] Payload) frame) =>
        (frame.Kind, frame.CorrelationId, Text(frame.Payload));

    private TcpMessageTransport NewTransport(ILogger<TcpMessageTransport>? log = null)
    {
        var transport = new TcpMessageTransport(new TcpTransportOptions(), log ?? NullLogger<TcpMessageTransport>.Instance);
        _transports.Add(transport);
        return transport;
    }

    private async Task<TcpMessageTransport> StartAsync(IRequestHandler handler, IPEndPoint? advertised = null)
    {
        var transport = NewTransport();
        await transport.StartAsync(AnyLoopbackPort, advertised, handler, CancellationToken.None);
        return transport;
    }
}
