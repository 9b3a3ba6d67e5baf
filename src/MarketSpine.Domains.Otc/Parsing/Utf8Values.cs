using System.Globalization;

namespace MarketSpine.Domains.Otc.Parsing;

/// <summary>
/// Strict parsers for the numeric and date fields, straight from UTF-8 bytes: no decoding to
/// UTF-16 and no culture, because the hot loop parses three of these per row.
/// </summary>
internal static class Utf8Values
{
    /// <summary>An optional '-' then decimal digits only: no '+', spaces, separators or exponent.</summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var negative = !text.IsEmpty && text[0] == (byte)'-';
        var digits = negative ? text[1..] : text;
        if (digits.IsEmpty)
        {
            return false;
        }

        // Up to 18 digits cannot overflow a long; longer inputs take the checked framework path.
        if (digits.Length > 18)
        {
            return digits[0] != (byte)'+'
                && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        long result = 0;
        foreach (var b in digits)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            result = (result * 10) + digit;
        }

        value = negative ? -result : result;
        return true;
    }

    /// <summary>Exactly <c>yyyy-MM-dd</c>, a real calendar day.</summary>
    public static bool TryParseIsoDate(ReadOnlySpan<byte> text, out DateOnly date)
    {
        date = default;
        if (text.Length != 10 || text[4] != (byte)'-' || text[7] != (byte)'-')
        {
            return false;
        }

        if (!TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) || !TryDigits(text[8..], out var day))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            value = (value * 10) + (int)digit;
        }

        return true;
    }
}
