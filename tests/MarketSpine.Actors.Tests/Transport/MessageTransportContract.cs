using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using MarketSpine.Actors.Transport;
using static MarketSpine.Actors.Tests.Transport.TransportTests;

namespace MarketSpine.Actors.Tests.Transport;

/// <summary>
/// The behaviour every <see cref="IMessageTransport"/> must have, written once; each transport's
/// test class derives from it and says how to make a transport.
/// </summary>
public abstract class MessageTransportContract : IAsyncLifetime
{
    // Half of TcpTransportOptions' default connect timeout: a refused connection must not wait for it.
    private static readonly TimeSpan FastFailure = TimeSpan.FromSeconds(1);

    private readonly List<IMessageTransport> _transports = [];

    [Fact]
    public async Task A_request_gets_its_response()
    {
        var handler = new TestHandler((request, _) => Task.FromResult(Bytes("re: " + Text(request))));
        var (client, server) = await StartPairAsync(handler);

        var response = await client.SendAsync(server, Bytes("hello"), CancellationToken.None).WaitAsync(WaitLimit);

        Assert.Equal("re: hello", Text(response));
    }

    [Fact]
    public async Task Ten_thousand_concurrent_requests_each_get_their_own_response()
    {
        // The handler yields, so responses come back in another order than the requests went out.
        var handler = new TestHandler(async (request, _) =>
        {
            await Task.Yield();
            var response = new byte[sizeof(int)];
            BinaryPrimitives.WriteInt32LittleEndian(response, -BinaryPrimitives.ReadInt32LittleEndian(request));
            return response;
        });
        var (client, server) = await StartPairAsync(handler);

        var responses = await Task.WhenAll(Enumerable.Range(1, 10_000).Select(i =>
        {
            var request = new byte[sizeof(int)];
            BinaryPrimitives.WriteInt32LittleEndian(request, i);
            return client.SendAsync(server, request, CancellationToken.None);
        })).WaitAsync(WaitLimit);

        Assert.Equal(Enumerable.Range(1, 10_000).Select(i => -i), responses.Select(r => BinaryPrimitives.ReadInt32LittleEndian(r)));
    }

    [Fact]
    public async Task A_4_MiB_payload_round_trips()
    {
        var (client, server) = await StartPairAsync(TestHandler.Echo());
        var payload = new byte[4 * 1024 * 1024];
        new Random(42).NextBytes(payload);

        var response = await client.SendAsync(server, payload, CancellationToken.None).WaitAsync(WaitLimit);

        Assert.True(payload.AsSpan().SequenceEqual(response), "The 4 MiB response differs from the request.");
    }

    [Fact]
    public virtual async Task A_handler_exception_reaches_the_sender_as_a_RemoteHandlerException_with_its_type_and_message()
    {
        var (client, server) = await StartPairAsync(new TestHandler((_, _) => throw new InvalidOperationException("no such grain: a/42")));

        var error = await Assert.ThrowsAsync<RemoteHandlerException>(() => client.SendAsync(server, Bytes("call"), CancellationToken.None).WaitAsync(WaitLimit));

        Assert.Equal("System.InvalidOperationException", error.RemoteType);
        Assert.Equal("no such grain: a/42", error.RemoteMessage);
        Assert.Equal(server, error.Peer);
    }

    [Fact]
    public async Task A_send_to_a_peer_that_never_started_fails_fast_with_a_TransportException()
    {
        var client = Track(NewTransport());
        var nobody = UnusedLoopbackEndpoint();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TransportException>(() => client.SendAsync(nobody, Bytes("anyone?"), CancellationToken.None).WaitAsync(WaitLimit));

        Assert.True(watch.Elapsed < FastFailure, $"The send took {watch.Elapsed} to fail.");
        Assert.Equal(nobody, error.Peer);
    }

    /// <summary>A silo's handler does not stop a call when its caller's timeout passes; the caller stops waiting all the same.</summary>
    [Fact]
    public async Task Cancelling_a_send_stops_the_wait_even_when_the_handler_goes_on()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new TestHandler(async (request, _) =>
        {
            await gate.Task;
            return request;
        });
        var (client, server) = await StartPairAsync(handler);
        using var timeout = new CancellationTokenSource();
        var abandoned = client.SendAsync(server, Bytes("held"), timeout.Token);
        await handler.Received.WaitForAsync(1);

        await timeout.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(WaitLimit));
        gate.SetResult();
        Assert.Equal("after", Text(await client.SendAsync(server, Bytes("after"), CancellationToken.None).WaitAsync(WaitLimit)));
    }

    [Fact]
    public async Task Cancelling_one_send_abandons_it_without_disturbing_the_others()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new TestHandler(async (request, cancellationToken) =>
        {
            if (Text(request).StartsWith("held", StringComparison.Ordinal))
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            return request;
        });
        var (client, server) = await StartPairAsync(handler);
        using var timeout = new CancellationTokenSource();
        var abandoned = client.SendAsync(server, Bytes("held 1"), timeout.Token);
        var kept = client.SendAsync(server, Bytes("held 2"), CancellationToken.None);
        await handler.Received.WaitForAsync(2);

        await timeout.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(WaitLimit));
        var quick = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => client.SendAsync(server, Bytes($"quick {i}"), CancellationToken.None))).WaitAsync(WaitLimit);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"quick {i}"), quick.Select(Text));
        Assert.False(kept.IsCompleted);

        // The abandoned request's late response (where the handler did not stop) is dropped; the held one still gets its own.
        gate.SetResult();
        Assert.Equal("held 2", Text(await kept.WaitAsync(WaitLimit)));
        Assert.Equal("after", Text(await client.SendAsync(server, Bytes("after"), CancellationToken.None).WaitAsync(WaitLimit)));
    }

    [Fact]
    public async Task Two_started_transports_call_each_other()
    {
        var a = Track(NewTransport());
        var b = Track(NewTransport());
        await a.StartAsync(AnyLoopbackPort, advertised: null, new TestHandler((request, _) => Task.FromResult(Bytes("a: " + Text(request)))), CancellationToken.None);
        await b.StartAsync(AnyLoopbackPort, advertised: null, new TestHandler((request, _) => Task.FromResult(Bytes("b: " + Text(request)))), CancellationToken.None);

        var answers = await Task.WhenAll(
            a.SendAsync(b.LocalEndpoint!, Bytes("1"), CancellationToken.None),
            b.SendAsync(a.LocalEndpoint!, Bytes("2"), CancellationToken.None)).WaitAsync(WaitLimit);

        Assert.Equal(["b: 1", "a: 2"], answers.Select(Text));
    }

    [Fact]
    public async Task Statistics_count_the_requests_sent_and_served_and_the_calls_pending()
    {
        var gate = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new TestHandler((request, _) => Text(request) == "held" ? gate.Task : Task.FromResult(request));
        var server = Track(NewTransport());
        await server.StartAsync(AnyLoopbackPort, advertised: null, handler, CancellationToken.None);
        var client = Track(NewTransport());
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync(server.LocalEndpoint!, new byte[10], CancellationToken.None).WaitAsync(WaitLimit);
        }

        var held = client.SendAsync(server.LocalEndpoint!, Bytes("held"), CancellationToken.None);
        await handler.Received.WaitForAsync(4);

        var statistics = client.GetStatistics();
        Assert.Equal((4L, 0L, 1), (statistics.RequestsSent, statistics.RequestsServed, statistics.PendingCalls));
        Assert.True(statistics.BytesSent >= 34 && statistics.BytesReceived >= 30 && statistics.FramesSent >= 4 && statistics.FramesReceived >= 3, statistics.ToString());
        Assert.Equal((3L, 0L), (server.GetStatistics().RequestsServed, server.GetStatistics().RequestsSent));
        gate.SetResult(Bytes("released"));
        await held.WaitAsync(WaitLimit);
        Assert.Equal(0, client.GetStatistics().PendingCalls);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync().AsTask().WaitAsync(WaitLimit);
        }
    }

    /// <summary>A new, unstarted transport of the kind under test.</summary>
    protected abstract IMessageTransport NewTransport();

    /// <summary>A started server serving <paramref name="handler"/> on a free loopback port, and a client to call it.</summary>
    private async Task<(IMessageTransport Client, IPEndPoint Server)> StartPairAsync(IRequestHandler handler)
    {
        var server = Track(NewTransport());
        await server.StartAsync(AnyLoopbackPort, advertised: null, handler, CancellationToken.None);
        return (Track(NewTransport()), server.LocalEndpoint!);
    }

    private IMessageTransport Track(IMessageTransport transport)
    {
        _transports.Add(transport);
        return transport;
    }
}
