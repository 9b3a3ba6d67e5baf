namespace MarketSpine.Core.Errors;

/// <summary>
/// Reading a source failed: missing file, unexpected header, malformed or truncated content.
/// Carries where it happened (source, line, field) so the user can open the file at the spot.
/// </summary>
public sealed class SourceError : SpineError
{
    public SourceError(string code, string message, string source, long? line = null, string? field = null, Exception? inner = null)
        : base(code, message, BuildDetails(source, line, field), inner)
    {
        SourceName = source;
        Line = line;
        Field = field;
    }

    public string SourceName { get; }

    public long? Line { get; }

    public string? Field { get; }

    private static Dictionary<string, object?> BuildDetails(string source, long? line, string? field)
    {
        var details = new Dictionary<string, object?> { ["source"] = source };
        if (line is not null)
        {
            details["line"] = line;
        }

        if (field is not null)
        {
            details["field"] = field;
        }

        return details;
    }
}
