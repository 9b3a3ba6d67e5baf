using System.Buffers.Binary;
using System.Text;

namespace MarketSpine.Domains.Otc.Parsing;

/// <summary>
/// Maps UTF-8 bytes to one shared string per distinct value, looked up by the bytes so a
/// repeated value costs a hash and a compare, never an allocation. Meant for columns with few
/// distinct values (tier, venue name, MPID): the table is bounded, and past the bound values
/// are decoded without caching so a column that turns out to be unique cannot grow it forever.
/// </summary>
internal sealed class Utf8Interner
{
    private readonly int _maxEntries;
    private byte[]?[] _keys;
    private string[] _values;
    private int[] _hashes;
    private int _count;

    public Utf8Interner(int maxEntries = 4096)
    {
        _maxEntries = maxEntries;
        _keys = new byte[]?[64];
        _values = new string[64];
        _hashes = new int[64];
    }

    public string GetOrAdd(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        var hash = Hash(bytes);
        var mask = _keys.Length - 1;
        var slot = hash & mask;
        while (true)
        {
            var key = _keys[slot];
            if (key is null)
            {
                break;
            }

            if (_hashes[slot] == hash && bytes.SequenceEqual(key))
            {
                return _values[slot];
            }

            slot = (slot + 1) & mask;
        }

        var value = Encoding.UTF8.GetString(bytes);
        if (_count >= _maxEntries)
        {
            return value;
        }

        _keys[slot] = bytes.ToArray();
        _values[slot] = value;
        _hashes[slot] = hash;
        _count++;

        // Keep the load factor at or below one half so probe chains stay short.
        if (_count * 2 > _keys.Length)
        {
            Grow();
        }

        return value;
    }

    /// <summary>
    /// A cheap hash over the length and the first and last 8 bytes: values in these columns
    /// differ early or late (MPIDs are 4 bytes, venue names start with the MPID), and
    /// collisions are settled by the byte compare anyway.
    /// </summary>
    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        ulong h;
        if (bytes.Length >= 8)
        {
            h = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            h ^= BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]) * 0xC2B2AE3D27D4EB4FUL;
        }
        else
        {
            h = 0;
            foreach (var b in bytes)
            {
                h = (h << 8) | b;
            }
        }

        h ^= (ulong)bytes.Length * 0x165667B19E3779F9UL;
        h *= 0x9E3779B97F4A7C15UL;
        return (int)(h >> 33);
    }

    private void Grow()
    {
        var oldKeys = _keys;
        var oldValues = _values;
        var oldHashes = _hashes;
        _keys = new byte[]?[oldKeys.Length * 2];
        _values = new string[oldKeys.Length * 2];
        _hashes = new int[oldKeys.Length * 2];
        var mask = _keys.Length - 1;
        for (var i = 0; i < oldKeys.Length; i++)
        {
            if (oldKeys[i] is null)
            {
                continue;
            }

            var slot = oldHashes[i] & mask;
            while (_keys[slot] is not null)
            {
                slot = (slot + 1) & mask;
            }

            _keys[slot] = oldKeys[i];
            _values[slot] = oldValues[i];
            _hashes[slot] = oldHashes[i];
        }
    }
}
