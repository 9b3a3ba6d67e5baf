namespace MarketSpine.Core.Sources;

/// <summary>The parameters of a <see cref="SqlSource"/>'s query and how its result columns map to canonical names.</summary>
public sealed record SqlSourceOptions
{
    /// <summary>
    /// Query parameters by name, as the query spells them (<c>@week</c>) or without the prefix
    /// (<c>week</c>), which both SQLite and Npgsql accept. A null value is sent as SQL NULL.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();

    /// <summary>Result column name → canonical name, matched ignoring case; columns not listed keep their name.</summary>
    public IReadOnlyDictionary<string, string> ColumnMap { get; init; } = new Dictionary<string, string>();

    /// <summary>Canonical columns the result must have; without one the read fails with <c>SOURCE_HEADER_MISMATCH</c>.</summary>
    public IReadOnlyCollection<string> RequiredColumns { get; init; } = [];
}
