namespace MarketSpine.Core.Errors;

/// <summary>Writing to the store failed or would break an invariant (for example a conflicting capture).</summary>
public sealed class LoadError(string code, string message, IReadOnlyDictionary<string, object?>? details = null, Exception? inner = null)
    : SpineError(code, message, details, inner);
