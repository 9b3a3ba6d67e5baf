using System.Globalization;
using System.Net;
using MarketSpine.Actors.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSpine.Actors.Benchmarks.Transport;

/// <summary>
/// The <c>transport-server &lt;port&gt;</c> subcommand: the second process of the transport
/// benchmark. Serves <see cref="EchoHandler"/> on loopback, prints its endpoint on the first line of
/// standard output, and runs until its standard input closes, which also ends it if the benchmark
/// process dies without killing it.
/// </summary>
public static class TransportServer
{
    public const string ReadyPrefix = "listening ";

    public static async Task RunAsync(int port)
    {
        await using var transport = new TcpMessageTransport(new TcpTransportOptions(), NullLogger<TcpMessageTransport>.Instance);
        await transport.StartAsync(new IPEndPoint(IPAddress.Loopback, port), advertised: null, new EchoHandler(), CancellationToken.None);
        Console.WriteLine(ReadyPrefix + transport.LocalEndpoint!.Port.ToString(CultureInfo.InvariantCulture));
        while (await Console.In.ReadLineAsync() is not null)
        {
        }
    }
}
