namespace MarketSpine.Actors.Transport;

/// <summary>
/// The first bytes each side of a connection sends, before any frame: a stray client (an HTTP
/// probe, another protocol's port scanner) is rejected with a clear protocol error instead of
/// being read as frames. The last byte is the protocol version.
/// </summary>
internal static class ConnectionPreface
{
    public static ReadOnlySpan<byte> Bytes => "MSPT\u0001"u8;
}
