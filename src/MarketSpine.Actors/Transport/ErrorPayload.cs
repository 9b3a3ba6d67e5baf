using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// The payload of an error-response frame: the length of the exception's type name (int32,
/// little-endian), the type name, then the message, both UTF-8.
/// </summary>
internal static class ErrorPayload
{
    // A message is for a log line, not a payload: capping it keeps every error frame far below
    // the smallest allowed frame size (TcpTransportOptions.MinimumMaxFrameSize).
    private const int MaxMessageChars = 4096;
    private const int MaxTypeChars = 1024;

    public static byte[] Encode(string type, string message)
    {
        type = type.Length > MaxTypeChars ? type[..MaxTypeChars] : type;
        message = message.Length > MaxMessageChars ? string.Concat(message.AsSpan(0, MaxMessageChars), "…") : message;
        var typeLength = Encoding.UTF8.GetByteCount(type);
        var bytes = new byte[sizeof(int) + typeLength + Encoding.UTF8.GetByteCount(message)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, typeLength);
        Encoding.UTF8.GetBytes(type, bytes.AsSpan(sizeof(int)));
        Encoding.UTF8.GetBytes(message, bytes.AsSpan(sizeof(int) + typeLength));
        return bytes;
    }

    public static bool TryDecode(in ReadOnlySequence<byte> payload, [NotNullWhen(true)] out string? type, [NotNullWhen(true)] out string? message)
    {
        var bytes = payload.ToArray();
        type = message = null;
        if (bytes.Length < sizeof(int))
        {
            return false;
        }

        var typeLength = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (typeLength < 0 || typeLength > bytes.Length - sizeof(int))
        {
            return false;
        }

        type = Encoding.UTF8.GetString(bytes, sizeof(int), typeLength);
        message = Encoding.UTF8.GetString(bytes, sizeof(int) + typeLength, bytes.Length - sizeof(int) - typeLength);
        return true;
    }
}
