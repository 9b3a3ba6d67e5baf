using System.Globalization;

namespace MarketSpine.Domains.Otc.Parsing;

/// <summary>
/// One data row of FINRA's weekly OTC transparency download, exactly as published: no
/// normalization, so empty symbols and negative counts survive to the quality gates.
/// </summary>
/// <remarks>
/// A readonly record struct rather than a class: a full week is ~250,000 rows and the parser
/// targets 1.5 million rows/s, so a heap object per row (~90 bytes) would be most of the
/// parse's garbage. The strings are interned by the parser, so copying the struct is cheap.
/// </remarks>
/// <param name="LineNumber">1-based line of the row in the file (the header is line 1).</param>
/// <param name="TierDescription"><c>NMS Tier 1</c>, <c>NMS Tier 2</c> or <c>OTC</c>, as written.</param>
/// <param name="Symbol"><c>issueSymbolIdentifier</c>; may be empty in real files.</param>
/// <param name="IssueName"><c>issueName</c>; may be empty in real files.</param>
/// <param name="VenueName"><c>marketParticipantName</c>.</param>
/// <param name="Mpid">The venue's market participant identifier.</param>
/// <param name="ShareQuantity"><c>totalWeeklyShareQuantity</c>; negative values parse and are left to the quality gates.</param>
/// <param name="TradeCount"><c>totalWeeklyTradeCount</c>.</param>
/// <param name="LastUpdateDate">The publication date of the file (not the week).</param>
/// <param name="Delimiter">The delimiter of the file the row came from, so <see cref="ToRawLine"/> can rebuild it.</param>
public readonly record struct FinraWeeklyRow(
    long LineNumber,
    string TierDescription,
    string Symbol,
    string IssueName,
    string VenueName,
    string Mpid,
    long ShareQuantity,
    long TradeCount,
    DateOnly LastUpdateDate,
    char Delimiter = '|')
{
    /// <summary>
    /// The row as a line of its file (no line terminator), for reject tables: rebuilding it is
    /// cheaper than keeping every raw line of a 30 MB file alive. Exact for files in FINRA's
    /// column order with canonical numbers; otherwise the same values in FINRA's column order
    /// (extra columns are not kept). Comma files get RFC 4180 quoting where a value needs it.
    /// </summary>
    public string ToRawLine()
    {
        string[] fields =
        [
            TierDescription,
            Symbol,
            IssueName,
            VenueName,
            Mpid,
            ShareQuantity.ToString(CultureInfo.InvariantCulture),
            TradeCount.ToString(CultureInfo.InvariantCulture),
            LastUpdateDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ];

        if (Delimiter != '|')
        {
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = QuoteIfNeeded(fields[i], Delimiter);
            }
        }

        return string.Join(Delimiter, fields);
    }

    private static string QuoteIfNeeded(string value, char delimiter)
    {
        if (value.AsSpan().IndexOfAny(delimiter, '"', '\n') < 0 && !value.Contains('\r', StringComparison.Ordinal))
        {
            return value;
        }

        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
