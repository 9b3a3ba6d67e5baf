namespace MarketSpine.Core.Sources;

/// <summary>The formats <see cref="FileSource"/> reads.</summary>
public enum FileFormat
{
    /// <summary>Comma-separated values with a header row (RFC 4180 quoting).</summary>
    Csv,

    /// <summary>Pipe-separated values with a header row, as FINRA publishes them (same quoting as CSV).</summary>
    Psv,

    /// <summary>One JSON array of objects; a record's line is the element's 1-based position.</summary>
    Json,

    /// <summary>Newline-delimited JSON: one object per line.</summary>
    Ndjson,
}
