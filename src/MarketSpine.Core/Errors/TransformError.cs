namespace MarketSpine.Core.Errors;

/// <summary>Turning source rows into domain rows failed as a whole (not a single rejected row).</summary>
public sealed class TransformError(string code, string message, IReadOnlyDictionary<string, object?>? details = null, Exception? inner = null)
    : SpineError(code, message, details, inner);
