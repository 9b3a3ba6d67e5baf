using System.Diagnostics.Metrics;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using static MarketSpine.Actors.Tests.Transport.TransportTests;

namespace MarketSpine.Actors.Tests.Transport;

/// <summary>The TCP transport's totals: the <see cref="TransportStatistics"/> snapshot and the instruments on the runtime's meter.</summary>
public sealed class TransportStatisticsTests : IAsyncLifetime
{
    private readonly List<TcpMessageTransport> _transports = [];

    [Fact]
    public async Task The_snapshot_counts_connections_traffic_requests_both_ways_and_pending_calls()
    {
        var release = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = await StartAsync(new TestHandler((request, _) => Task.FromResult(request)));
        var b = await StartAsync(new TestHandler((request, _) => Text(request) == "held" ? release.Task : Task.FromResult(request)));
        var empty = a.GetStatistics();
        Assert.Equal(new TransportStatistics(0, 0, empty.ConnectionsClosedByReason, 0, 0, 0, 0, 0, 0, 0), empty);
        Assert.Empty(empty.ConnectionsClosedByReason);

        for (var i = 0; i < 10; i++)
        {
            await a.SendAsync(b.LocalEndpoint!, new byte[100], CancellationToken.None).WaitAsync(WaitLimit);
        }

        for (var i = 0; i < 5; i++)
        {
            await b.SendAsync(a.LocalEndpoint!, new byte[100], CancellationToken.None).WaitAsync(WaitLimit);
        }

        var held = a.SendAsync(b.LocalEndpoint!, Bytes("held"), CancellationToken.None);

        // A sent the 5-byte preface, then a hello (6-byte IPv4 endpoint), 11 requests and 5 responses,
        // 13-byte headers each, with 15 payloads of 100 bytes and "held"; B answered with its preface
        // and 15 frames. The read and send loops count just after they hand a frame on, so the totals settle.
        await SettlesAsync(() => Totals(a.GetStatistics()), (1, 1, 5 + (17 * 13) + 6 + (15 * 100) + 4, 5 + (15 * 13) + (15 * 100), 17, 15, 11, 5, 1));
        await SettlesAsync(() => Totals(b.GetStatistics()), (1, 1, 5 + (15 * 13) + (15 * 100), 5 + (17 * 13) + 6 + (15 * 100) + 4, 15, 17, 5, 10, 0));

        release.SetResult(Bytes("released"));
        await held.WaitAsync(WaitLimit);
        await b.DisposeAsync().AsTask().WaitAsync(WaitLimit);
        await Eventually.TrueAsync(() => Task.FromResult(a.GetStatistics().OpenConnections == 0), WaitLimit, "A saw B close");
        var statistics = a.GetStatistics();
        Assert.Equal((1L, 1L, 0), (statistics.ConnectionsOpened, statistics.ConnectionsClosed, statistics.PendingCalls));
        Assert.Equal(1, statistics.ConnectionsClosedByReason["peer_shutdown"]);
        Assert.Equal(1, b.GetStatistics().ConnectionsClosedByReason["shutdown"]);
        Assert.True(statistics.BytesSent >= 5 + (17 * 13) + 6 + (15 * 100) + 4, "The totals of a closed connection are kept.");
    }

    [Fact]
    public async Task The_instruments_on_the_MarketSpine_Actors_meter_follow_the_transport()
    {
        var a = await StartAsync(new TestHandler((request, _) => Task.FromResult(request)));
        var b = await StartAsync(new TestHandler((request, _) => Task.FromResult(request)));
        var measurements = new List<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Other tests' transports publish on the same meter name at the same time.
            if (instrument.Meter.Name == "MarketSpine.Actors" && ReferenceEquals(instrument.Meter, a.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        }

        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<int>(Record);
        listener.Start();

        await a.SendAsync(b.LocalEndpoint!, Bytes("to b"), CancellationToken.None).WaitAsync(WaitLimit);
        await b.SendAsync(a.LocalEndpoint!, Bytes("to a"), CancellationToken.None).WaitAsync(WaitLimit);
        listener.RecordObservableInstruments();
        await b.DisposeAsync().AsTask().WaitAsync(WaitLimit);
        await Eventually.TrueAsync(
            () =>
            {
                lock (measurements)
                {
                    return Task.FromResult(measurements.Any(m => m.Instrument == "marketspine.transport.connections.closed"));
                }
            },
            WaitLimit,
            "A saw B close");

        lock (measurements)
        {
            Assert.Single(measurements, m => m.Instrument == "marketspine.transport.connections.opened" && m.Value == 1 && Equals(m.Tags["direction"], "outbound"));
            Assert.Single(measurements, m => m.Instrument == "marketspine.transport.connections.closed" && m.Value == 1
                && Equals(m.Tags["direction"], "outbound") && Equals(m.Tags["reason"], "peer_shutdown"));
            Assert.Single(measurements, m => m.Instrument == "marketspine.transport.active_connections" && m.Value == 1);
            Assert.Single(measurements, m => m.Instrument == "marketspine.transport.pending_calls" && m.Value == 0);
            Assert.Single(measurements, m => m.Instrument == "marketspine.transport.requests.served" && m.Value == 1);
            Assert.Single(measurements, m => m.Instrument == "marketspine.transport.frames" && Equals(m.Tags["network.io.direction"], "transmit") && m.Value == 3);
            Assert.Single(measurements, m => m.Instrument == "marketspine.transport.frames" && Equals(m.Tags["network.io.direction"], "receive") && m.Value == 2);
            var sent = a.GetStatistics().BytesSent;
            Assert.Single(measurements, m => m.Instrument == "marketspine.transport.io" && Equals(m.Tags["network.io.direction"], "transmit") && m.Value > 0 && m.Value <= sent);
            Assert.Single(measurements, m => m.Instrument == "marketspine.transport.io" && Equals(m.Tags["network.io.direction"], "receive") && m.Value > 0);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync().AsTask().WaitAsync(WaitLimit);
        }
    }

    private static (int Open, long Opened, long BytesSent, long BytesReceived, long FramesSent, long FramesReceived, long RequestsSent, long RequestsServed, int Pending) Totals(
        TransportStatistics s) =>
        (s.OpenConnections, s.ConnectionsOpened, s.BytesSent, s.BytesReceived, s.FramesSent, s.FramesReceived, s.RequestsSent, s.RequestsServed, s.PendingCalls);

    /// <summary>Waits, bounded, for <paramref name="actual"/> to reach <paramref name="expected"/>, then asserts it, so a failure shows both.</summary>
    private static async Task SettlesAsync<T>(Func<T> actual, T expected)
    {
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(EqualityComparer<T>.Default.Equals(actual(), expected)), WaitLimit, $"the totals reach {expected}");
        }
        catch (TimeoutException)
        {
            Assert.Equal(expected, actual());
        }
    }

    private async Task<TcpMessageTransport> StartAsync(IRequestHandler handler)
    {
        var transport = new TcpMessageTransport(new TcpTransportOptions(), NullLogger<TcpMessageTransport>.Instance);
        _transports.Add(transport);
        await transport.StartAsync(AnyLoopbackPort, advertised: null, handler, CancellationToken.None);
        return transport;
    }
}
