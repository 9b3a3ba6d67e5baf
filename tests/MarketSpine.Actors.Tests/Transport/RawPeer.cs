using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MarketSpine.Actors.Transport;

namespace MarketSpine.Actors.Tests.Transport;

/// <summary>
/// One side of a transport connection played by the test over a plain socket, writing and reading
/// the documented wire format byte by byte: the preface "MSPT" + version 2, then frames of a
/// 13-byte little-endian header (payload length uint32, kind byte, correlation id int64) and the
/// payload; the dialing side's first frame is a hello (kind 7) whose payload is the endpoint where it
/// accepts connections (address bytes, then the port as uint16) or nothing. Every read is bounded by
/// <see cref="TransportTests.WaitLimit"/>.
/// </summary>
internal sealed class RawPeer(Socket socket) : IDisposable
{
    private static readonly byte[] Preface = "MSPT\u0002"u8.ToArray();

    private readonly NetworkStream _stream = new(socket, ownsSocket: true);

    public static async Task<RawPeer> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint).WaitAsync(TransportTests.WaitLimit);
        return new RawPeer(socket);
    }

    public async Task WritePrefaceAsync() => await _stream.WriteAsync(Preface);

    public async Task WriteHelloAsync(IPEndPoint? acceptsAt)
    {
        byte[] payload = acceptsAt is null ? [] : [.. acceptsAt.Address.GetAddressBytes(), (byte)acceptsAt.Port, (byte)(acceptsAt.Port >> 8)];
        await WriteFrameAsync(FrameKind.Hello, 0, payload);
    }

    public async Task WriteAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    public async Task WriteFrameAsync(FrameKind kind, long correlationId, byte[] payload)
    {
        var frame = new byte[13 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        frame[4] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(5), correlationId);
        payload.CopyTo(frame, 13);
        await _stream.WriteAsync(frame);
    }

    public async Task ReadPrefaceAsync() => Assert.Equal(Preface, await ReadExactlyAsync(Preface.Length));

    /// <summary>Reads the preface and the hello a dialing transport sends first; returns the endpoint it announced, if any.</summary>
    public async Task<IPEndPoint?> ReadPrefaceAndHelloAsync()
    {
        await ReadPrefaceAsync();
        var (kind, _, payload) = await ReadFrameAsync();
        Assert.Equal(FrameKind.Hello, kind);
        return payload.Length == 0 ? null : new IPEndPoint(new IPAddress(payload.AsSpan(0, payload.Length - 2)), BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(payload.Length - 2)));
    }

    public async Task<(FrameKind Kind, long CorrelationId, byte[] Payload)> ReadFrameAsync()
    {
        var header = await ReadExactlyAsync(13);
        var payload = await ReadExactlyAsync((int)BinaryPrimitives.ReadUInt32LittleEndian(header));
        return ((FrameKind)header[4], BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(5)), payload);
    }

    /// <summary>Reads and discards until the other side closes the connection.</summary>
    public async Task ReadUntilClosedAsync()
    {
        using var limit = new CancellationTokenSource(TransportTests.WaitLimit);
        var buffer = new byte[4096];
        while (await _stream.ReadAsync(buffer, limit.Token) > 0)
        {
        }
    }

    public void Dispose() => _stream.Dispose();

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        using var limit = new CancellationTokenSource(TransportTests.WaitLimit);
        var bytes = new byte[count];
        await _stream.ReadExactlyAsync(bytes, limit.Token);
        return bytes;
    }
}
