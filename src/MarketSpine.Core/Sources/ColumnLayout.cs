using MarketSpine.Core.Errors;

namespace MarketSpine.Core.Sources;

/// <summary>
/// The canonical column names of a header (a CSV header row, a JSON object's properties, a
/// result set's columns), in source order. Built once per header and shared by the records read
/// under it, so a 30 MB file costs one name index, not one dictionary per row.
/// </summary>
internal sealed class ColumnLayout
{
    private readonly Dictionary<string, int> _indexByName;

    private ColumnLayout(string[] names, Dictionary<string, int> indexByName)
    {
        Names = names;
        _indexByName = indexByName;
    }

    /// <summary>The canonical name of every source column, in order; "" for a column whose header is blank.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The named columns only, for <see cref="SourceRecord.Columns"/>.</summary>
    public IReadOnlyList<string> NamedColumns => field ??= [.. Names.Where(n => n.Length > 0)];

    public int Width => Names.Count;

    public bool TryGetIndex(string column, out int index) => _indexByName.TryGetValue(column, out index);

    /// <summary>
    /// Maps each source name to its canonical name (unmapped names are kept, trimmed) and checks
    /// the required columns are there. Names match ignoring case because the same feed spells a
    /// header differently from one year to the next; a missing required column or two columns
    /// landing on one canonical name is a <see cref="ErrorCodes.SourceHeaderMismatch"/>.
    /// <paramref name="position"/> says what <paramref name="line"/> counts in messages ("line", "element").
    /// </summary>
    public static ColumnLayout Resolve(
        string sourceName,
        IReadOnlyList<string> sourceNames,
        ColumnNames names,
        long? line,
        string position = "line")
    {
        var canonical = new string[sourceNames.Count];
        var indexByName = new Dictionary<string, int>(sourceNames.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < sourceNames.Count; i++)
        {
            var name = names.Canonical(sourceNames[i]);
            canonical[i] = name;
            if (name.Length == 0)
            {
                continue;
            }

            if (!indexByName.TryAdd(name, i))
            {
                throw new SourceError(
                    ErrorCodes.SourceHeaderMismatch,
                    $"{sourceName}{At(position, line)}: column '{name}' appears more than once (from '{sourceNames[indexByName[name]]}' and '{sourceNames[i]}'); header found: {Describe(sourceNames)}.",
                    sourceName,
                    line,
                    name);
            }
        }

        var missing = names.Required.Where(r => !indexByName.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new SourceError(
                ErrorCodes.SourceHeaderMismatch,
                $"{sourceName}{At(position, line)}: missing required column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}; header found: {Describe(sourceNames)}.",
                sourceName,
                line,
                string.Join(",", missing));
        }

        return new ColumnLayout(canonical, indexByName);
    }

    private static string At(string position, long? line) => line is { } l ? $" {position} {l}" : "";

    private static string Describe(IReadOnlyList<string> sourceNames) =>
        sourceNames.Count == 0 ? "(no columns)" : string.Join(", ", sourceNames.Select(n => $"'{n}'"));
}
