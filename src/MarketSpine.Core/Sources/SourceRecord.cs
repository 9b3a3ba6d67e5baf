using System.Globalization;
using MarketSpine.Core.Errors;

namespace MarketSpine.Core.Sources;

/// <summary>
/// One record of a tabular source (a file row, a JSON object, a result-set row): its values as
/// text by canonical column name, where it came from, and typed getters whose failures name the
/// source, line and field. Values stay text so every source behaves the same and a transform
/// decides how strict to be; the getters parse invariantly, never in the machine's culture.
/// </summary>
public sealed class SourceRecord
{
    private readonly ColumnLayout _layout;
    private readonly string?[] _values;

    /// <summary>What <see cref="Line"/> counts, as messages say it: "line", "element" (JSON array) or "row" (query).</summary>
    private readonly string _position = "line";

    /// <summary>No renaming and nothing required: a hand-built record's names are already canonical.</summary>
    private static readonly ColumnNames NoMapping = new(new Dictionary<string, string>(), []);

    /// <summary>Builds a record by hand, for tests of transforms and for sources outside this folder.</summary>
    public SourceRecord(string sourceName, long line, IReadOnlyDictionary<string, string?> values, string? rawText = null)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(values);
        var names = values.Keys.ToList();
        _layout = ColumnLayout.Resolve(sourceName, names, NoMapping, line);
        _values = [.. names.Select(n => values[n])];
        SourceName = sourceName;
        Line = line;
        RawText = rawText;
    }

    internal SourceRecord(string sourceName, long line, ColumnLayout layout, string?[] values, string? rawText, string position = "line")
    {
        _position = position;
        _layout = layout;
        _values = values;
        SourceName = sourceName;
        Line = line;
        RawText = rawText;
    }

    /// <summary>The source's name: a file path or a query's first line.</summary>
    public string SourceName { get; }

    /// <summary>
    /// Where the record is, 1-based: the line it starts on in a delimited or NDJSON file (the
    /// header is line 1), the element's position in a JSON array, the row's position in a result set.
    /// </summary>
    public long Line { get; }

    /// <summary>The record as it appears in the file, without the line break; null where the format has no lines (a JSON array, a query).</summary>
    public string? RawText { get; }

    /// <summary>The canonical names of the columns this record has, in source order.</summary>
    public IReadOnlyList<string> Columns => _layout.NamedColumns;

    /// <summary>
    /// The value of a column as text: <c>""</c> for an empty delimited field, null for a JSON or
    /// SQL null and for a column the record does not have (an optional column absent from the
    /// header, a property an object leaves out). Names match ignoring case.
    /// </summary>
    public string? this[string column] => _layout.TryGetIndex(column, out var index) ? _values[index] : null;

    public bool HasColumn(string column) => _layout.TryGetIndex(column, out _);

    /// <summary>The value, which must be present and not blank.</summary>
    public string GetString(string column)
    {
        var text = this[column];
        return string.IsNullOrWhiteSpace(text) ? throw Missing(column) : text;
    }

    /// <summary>
    /// An integer. Also accepts an integral value written as a decimal or in scientific notation
    /// (<c>9.76E9</c>, <c>1200.0</c>), because FINRA's API writes large share counts that way.
    /// </summary>
    public long GetInt64(string column) => GetInt64OrNull(column) ?? throw Missing(column);

    /// <summary>As <see cref="GetInt64"/>, but null for a null, empty or blank value.</summary>
    public long? GetInt64OrNull(string column)
    {
        var text = this[column];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && number == decimal.Truncate(number)
            && number is >= long.MinValue and <= long.MaxValue)
        {
            return (long)number;
        }

        throw Malformed(column, text, "an integer");
    }

    /// <summary>
    /// A decimal number, invariant: a point for decimals, no thousands separators (in a CSV,
    /// "1,5" is ambiguous, and guessing would load a value 10 times too large), optional exponent.
    /// </summary>
    public decimal GetDecimal(string column) => GetDecimalOrNull(column) ?? throw Missing(column);

    /// <summary>As <see cref="GetDecimal"/>, but null for a null, empty or blank value.</summary>
    public decimal? GetDecimalOrNull(string column)
    {
        var text = this[column];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Malformed(column, text, "a decimal number");
    }

    /// <summary>A date written <c>yyyy-MM-dd</c>.</summary>
    public DateOnly GetDate(string column) => GetDateOrNull(column) ?? throw Missing(column);

    /// <summary>As <see cref="GetDate"/>, but null for a null, empty or blank value.</summary>
    public DateOnly? GetDateOrNull(string column)
    {
        var text = this[column];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Malformed(column, text, "a date (yyyy-MM-dd)");
    }

    /// <summary>The values by canonical name, in source order, for logging a reject or a test's assertion.</summary>
    public IReadOnlyDictionary<string, string?> ToDictionary()
    {
        var result = new Dictionary<string, string?>(_layout.Width, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _layout.Width; i++)
        {
            if (_layout.Names[i].Length > 0)
            {
                result[_layout.Names[i]] = _values[i];
            }
        }

        return result;
    }

    public override string ToString() => $"{SourceName} {_position} {Line}";

    private SourceError Missing(string column) =>
        new(ErrorCodes.SourceMalformed,
            HasColumn(column)
                ? $"{SourceName} {_position} {Line}, field '{column}': a value is required but the field is empty."
                : $"{SourceName} {_position} {Line}, field '{column}': the record has no such column (columns: {string.Join(", ", Columns)}).",
            SourceName,
            Line,
            column);

    private SourceError Malformed(string column, string text, string expected) =>
        new(ErrorCodes.SourceMalformed,
            $"{SourceName} {_position} {Line}, field '{column}': '{text}' is not {expected}.",
            SourceName,
            Line,
            column);
}
