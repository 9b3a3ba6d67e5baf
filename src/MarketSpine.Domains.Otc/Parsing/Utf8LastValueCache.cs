using System.Text;

namespace MarketSpine.Domains.Otc.Parsing;

/// <summary>
/// Remembers the last value of a column by its bytes. FINRA files are sorted by symbol, so a
/// symbol and its issue name repeat on consecutive rows (one row per venue): comparing with the
/// previous row's bytes gives one string per symbol instead of one per row, without the
/// unbounded table a full interner would need for ~20,000 distinct symbols.
/// </summary>
internal sealed class Utf8LastValueCache
{
    private byte[] _bytes = new byte[128];
    private int _length = -1;
    private string _value = string.Empty;

    public string Get(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == _length && bytes.SequenceEqual(_bytes.AsSpan(0, _length)))
        {
            return _value;
        }

        if (bytes.Length > _bytes.Length)
        {
            _bytes = new byte[Math.Max(bytes.Length, _bytes.Length * 2)];
        }

        bytes.CopyTo(_bytes);
        _length = bytes.Length;
        _value = bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
        return _value;
    }
}
