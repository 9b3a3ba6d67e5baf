using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MarketSpine.Actors.Tests.Transport;

/// <summary>Limits and helpers shared by the transport tests.</summary>
public static class TransportTests
{
    /// <summary>The bound on every wait: a broken transport fails the test instead of hanging it.</summary>
    // Generous: the bound is there so nothing hangs, not to time the transport (the benchmark
    // does that), and CI runs other test assemblies on the same two cores.
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    public static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    /// <summary>A loopback endpoint nothing listens on: a port the OS just handed out and took back.</summary>
    public static IPEndPoint UnusedLoopbackEndpoint()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(AnyLoopbackPort);
        return (IPEndPoint)probe.LocalEndPoint!;
    }

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
