using System.Net;
using System.Net.Sockets;

namespace MarketSpine.Actors.Tests.Transport;

/// <summary>
/// A TCP relay on loopback in front of a transport, as a load balancer or a NAT would be: peers dial
/// the relay's endpoint (which the transport advertises instead of the one it binds), and the test can
/// cut every relayed connection at once (<see cref="Drop"/>) with real sockets, as a crashed host or a
/// pulled cable would.
/// </summary>
internal sealed class TcpRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Lock _lock = new();
    private readonly List<Socket> _sockets = [];
    private IPEndPoint? _target;
    private int _relayed;

    public TcpRelay()
    {
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections relayed so far.</summary>
    public int Relayed => Volatile.Read(ref _relayed);

    /// <summary>Where connections go; set before the first one arrives.</summary>
    public void RelayTo(IPEndPoint target) => _target = target;

    /// <summary>Resets every relayed connection, both ways, at once.</summary>
    public void Drop()
    {
        Socket[] sockets;
        lock (_lock)
        {
            sockets = [.. _sockets];
            _sockets.Clear();
        }

        foreach (var socket in sockets)
        {
            // Linger 0: a reset, as when a host vanishes, not an orderly close.
            socket.LingerState = new LingerOption(true, 0);
            socket.Dispose();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        Drop();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await server.ConnectAsync(_target!).WaitAsync(TransportTests.WaitLimit);
            lock (_lock)
            {
                _sockets.Add(client);
                _sockets.Add(server);
            }

            Interlocked.Increment(ref _relayed);
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read));
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Dropped: the other pump ends the same way.
        }
    }
}
