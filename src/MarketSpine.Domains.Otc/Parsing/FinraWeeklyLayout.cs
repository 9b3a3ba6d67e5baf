using MarketSpine.Core.Errors;

namespace MarketSpine.Domains.Otc.Parsing;

/// <summary>
/// What the header says about a file: its delimiter, its columns and where the required ones
/// are. Columns are found by name so reordered or extra columns in older exports still parse.
/// </summary>
internal sealed class FinraWeeklyLayout
{
    private FinraWeeklyLayout(byte delimiter, string[] columns, int[] ordinals)
    {
        Delimiter = delimiter;
        Columns = columns;
        TierOrdinal = ordinals[0];
        SymbolOrdinal = ordinals[1];
        IssueNameOrdinal = ordinals[2];
        VenueNameOrdinal = ordinals[3];
        MpidOrdinal = ordinals[4];
        ShareQuantityOrdinal = ordinals[5];
        TradeCountOrdinal = ordinals[6];
        LastUpdateDateOrdinal = ordinals[7];
    }

    public byte Delimiter { get; }

    /// <summary>Only comma files quote; FINRA's pipe files never do, so that path skips quote handling.</summary>
    public bool Quoted => Delimiter == (byte)',';

    public IReadOnlyList<string> Columns { get; }

    public int ColumnCount => Columns.Count;

    public int TierOrdinal { get; }

    public int SymbolOrdinal { get; }

    public int IssueNameOrdinal { get; }

    public int VenueNameOrdinal { get; }

    public int MpidOrdinal { get; }

    public int ShareQuantityOrdinal { get; }

    public int TradeCountOrdinal { get; }

    public int LastUpdateDateOrdinal { get; }

    /// <summary>
    /// Builds the layout from the header's column names. The delimiter is a pipe if the header
    /// holds one (current downloads), else a comma (older exports); column names are matched
    /// ignoring case and surrounding spaces.
    /// </summary>
    public static FinraWeeklyLayout FromHeader(byte delimiter, string[] columns, string sourceName, long lineNumber)
    {
        var required = FinraWeeklyColumns.Required;
        var ordinals = new int[required.Count];
        var missing = new List<string>();
        for (var r = 0; r < required.Count; r++)
        {
            ordinals[r] = -1;
            for (var c = 0; c < columns.Length; c++)
            {
                if (!string.Equals(columns[c].Trim(), required[r], StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (ordinals[r] >= 0)
                {
                    // Two columns of the same name: either could be the data, so refuse to guess.
                    throw new SourceError(
                        ErrorCodes.SourceHeaderMismatch,
                        $"{sourceName}: header has column '{required[r]}' twice (columns {ordinals[r] + 1} and {c + 1}); found: {string.Join(", ", columns)}.",
                        sourceName,
                        lineNumber,
                        required[r]);
                }

                ordinals[r] = c;
            }

            if (ordinals[r] < 0)
            {
                missing.Add(required[r]);
            }
        }

        if (missing.Count > 0)
        {
            var found = columns.Length == 0 ? "(nothing)" : string.Join(", ", columns);
            throw new SourceError(
                ErrorCodes.SourceHeaderMismatch,
                $"{sourceName}: header is missing required column(s) {string.Join(", ", missing)}; found: {found}. Expected FINRA's weekly header: {FinraWeeklyColumns.CanonicalHeader}.",
                sourceName,
                lineNumber,
                string.Join(", ", missing));
        }

        return new FinraWeeklyLayout(delimiter, columns, ordinals);
    }
}
