namespace MarketSpine.Actors.Transport;

/// <summary>
/// The first bytes each side of a connection sends, before any frame: a stray client (an HTTP
/// probe, another protocol's port scanner) is rejected with a clear protocol error instead of
/// being read as frames. The last byte is the protocol version, and a peer of another version is
/// refused by name: version 1 connections carried requests one way only; from version 2 either side
/// may send requests, and the dialing side's first frame is <see cref="FrameKind.Hello"/>.
/// </summary>
internal static class ConnectionPreface
{
    public const byte Version = 2;

    public static ReadOnlySpan<byte> Magic => "MSPT"u8;

    public static ReadOnlySpan<byte> Bytes => "MSPT\u0002"u8;
}
