namespace MarketSpine.Core.Sources;

/// <summary>How <see cref="FileSource"/> reads a file: its format and how its columns map to canonical names.</summary>
public sealed record FileSourceOptions
{
    /// <summary>
    /// The format; null infers it from the extension: <c>.csv</c>, <c>.psv</c>, <c>.txt</c> (pipe
    /// separated when its header has a pipe, else comma), <c>.json</c> (an array when it starts
    /// with <c>[</c>, else NDJSON), <c>.ndjson</c> and <c>.jsonl</c>.
    /// </summary>
    public FileFormat? Format { get; init; }

    /// <summary>
    /// Source column (or JSON property) name → canonical name, such as
    /// <c>issueSymbolIdentifier</c> → <c>symbol</c>. Matched ignoring case and surrounding spaces;
    /// columns not listed keep their own (trimmed) name.
    /// </summary>
    public IReadOnlyDictionary<string, string> ColumnMap { get; init; } = new Dictionary<string, string>();

    /// <summary>Canonical columns the header must have; without one the read fails with <c>SOURCE_HEADER_MISMATCH</c>.</summary>
    public IReadOnlyCollection<string> RequiredColumns { get; init; } = [];
}
