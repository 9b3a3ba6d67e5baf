using System.Buffers;
using System.Buffers.Binary;
using System.Net;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// The payload of a hello frame: the endpoint where the dialing side accepts connections (the one it
/// advertises, which peers dial), as the address bytes (4 for IPv4, 16 for IPv6) then the port
/// (uint16, little-endian). Empty when it accepts none (a client): nothing may then be routed to it.
/// </summary>
internal static class HelloPayload
{
    public static byte[] Encode(IPEndPoint? endpoint)
    {
        if (endpoint is null)
        {
            return [];
        }

        var address = endpoint.Address.GetAddressBytes();
        var bytes = new byte[address.Length + sizeof(ushort)];
        address.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(address.Length), (ushort)endpoint.Port);
        return bytes;
    }

    /// <summary>False for a malformed payload; otherwise <paramref name="endpoint"/> is the announced endpoint, or null for none.</summary>
    public static bool TryDecode(in ReadOnlySequence<byte> payload, out IPEndPoint? endpoint)
    {
        endpoint = null;
        if (payload.IsEmpty)
        {
            return true;
        }

        var bytes = payload.ToArray();
        var addressLength = bytes.Length - sizeof(ushort);
        if (addressLength is not (4 or 16))
        {
            return false;
        }

        var address = new IPAddress(bytes.AsSpan(0, addressLength));
        var port = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(addressLength));
        if (port == 0 || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
