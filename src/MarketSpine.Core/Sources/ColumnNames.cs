namespace MarketSpine.Core.Sources;

/// <summary>
/// The renaming and the required columns of a source, prepared once: source names are looked up
/// ignoring case and surrounding spaces, because feeds are not consistent about either.
/// </summary>
internal sealed class ColumnNames
{
    private readonly Dictionary<string, string> _map;

    public ColumnNames(IReadOnlyDictionary<string, string> map, IReadOnlyCollection<string> required)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(required);
        _map = new Dictionary<string, string>(map.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (source, canonical) in map)
        {
            if (string.IsNullOrWhiteSpace(source) || string.IsNullOrWhiteSpace(canonical))
            {
                throw new ArgumentException("Column map entries need a source name and a canonical name.", nameof(map));
            }

            // Two spellings of one source name would make the mapping depend on dictionary order.
            if (!_map.TryAdd(source.Trim(), canonical.Trim()))
            {
                throw new ArgumentException($"Column map names source column '{source.Trim()}' twice (names match ignoring case).", nameof(map));
            }
        }

        Required = [.. required.Select(r => r.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    public IReadOnlyList<string> Required { get; }

    /// <summary>The canonical name of a source column: its mapping, or its own trimmed name.</summary>
    public string Canonical(string sourceName)
    {
        var trimmed = sourceName.Trim();
        return _map.TryGetValue(trimmed, out var canonical) ? canonical : trimmed;
    }
}
