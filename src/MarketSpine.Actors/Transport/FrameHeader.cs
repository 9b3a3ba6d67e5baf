using System.Buffers;
using System.Buffers.Binary;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// The fixed 13-byte header before every payload: payload length (uint32), kind (one byte),
/// correlation id (int64), little-endian. The length comes first so a reader can reject an
/// oversized frame before buffering any of it.
/// </summary>
internal readonly record struct FrameHeader(FrameKind Kind, uint Length, long CorrelationId)
{
    public const int Size = 13;

    public static FrameHeader Read(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> bytes = stackalloc byte[Size];
        buffer.Slice(0, Size).CopyTo(bytes);
        return new FrameHeader((FrameKind)bytes[4], BinaryPrimitives.ReadUInt32LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes[5..]));
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Length);
        destination[4] = (byte)Kind;
        BinaryPrimitives.WriteInt64LittleEndian(destination[5..], CorrelationId);
    }
}
