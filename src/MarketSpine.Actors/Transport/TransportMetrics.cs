using System.Diagnostics.Metrics;
using MarketSpine.Actors.Metrics;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// A <see cref="TcpMessageTransport"/>'s instruments on the runtime's <c>MarketSpine.Actors</c> meter,
/// named after OpenTelemetry's conventions. Traffic, open connections and pending calls are observed
/// from the transport's totals when a listener collects, so the hot path records nothing for them;
/// only the rare connection events are counted as they happen, tagged only when a listener is on.
/// </summary>
internal sealed class TransportMetrics : IDisposable
{
    private static readonly KeyValuePair<string, object?> Transmit = new("network.io.direction", "transmit");
    private static readonly KeyValuePair<string, object?> Receive = new("network.io.direction", "receive");

    private readonly Counter<long> _opened;
    private readonly Counter<long> _closed;

    public TransportMetrics(Func<TransportStatistics> statistics)
    {
        Meter = new Meter(ActorMetrics.MeterName);
        _opened = Meter.CreateCounter<long>(
            "marketspine.transport.connections.opened", "{connection}", "Connections opened, by direction (outbound: dialed by this process; inbound: accepted).");
        _closed = Meter.CreateCounter<long>(
            "marketspine.transport.connections.closed", "{connection}",
            "Connections closed, by direction and reason (shutdown, peer_shutdown, peer_closed, retired, keepalive_timeout, protocol_error, io_error).");
        Meter.CreateObservableGauge(
            "marketspine.transport.active_connections", () => statistics().OpenConnections, "{connection}", "Open connections, either direction, including draining ones.");
        Meter.CreateObservableGauge(
            "marketspine.transport.pending_calls", () => statistics().PendingCalls, "{call}", "Requests sent that wait for their response.");
        Meter.CreateObservableCounter(
            "marketspine.transport.io",
            () =>
            {
                var totals = statistics();
                return new[] { new Measurement<long>(totals.BytesSent, Transmit), new Measurement<long>(totals.BytesReceived, Receive) };
            },
            "By",
            "Bytes written to and read from connections, framing included.");
        Meter.CreateObservableCounter(
            "marketspine.transport.frames",
            () =>
            {
                var totals = statistics();
                return new[] { new Measurement<long>(totals.FramesSent, Transmit), new Measurement<long>(totals.FramesReceived, Receive) };
            },
            "{frame}",
            "Frames of every kind written and read.");
        Meter.CreateObservableCounter(
            "marketspine.transport.requests.served", () => statistics().RequestsServed, "{request}", "Requests from peers answered, with a response or an error.");
    }

    /// <summary>The meter these instruments are on; one per transport, disposed with it.</summary>
    public Meter Meter { get; }

    public void ConnectionOpened(bool outbound)
    {
        if (_opened.Enabled)
        {
            _opened.Add(1, Direction(outbound));
        }
    }

    public void ConnectionClosed(bool outbound, ConnectionCloseReason reason)
    {
        if (_closed.Enabled)
        {
            _closed.Add(1, Direction(outbound), new KeyValuePair<string, object?>("reason", reason.TagValue()));
        }
    }

    public void Dispose() => Meter.Dispose();

    private static KeyValuePair<string, object?> Direction(bool outbound) => new("direction", outbound ? "outbound" : "inbound");
}
