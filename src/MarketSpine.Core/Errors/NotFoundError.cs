namespace MarketSpine.Core.Errors;

/// <summary>A named thing (pipeline, execution, capture) does not exist.</summary>
public sealed class NotFoundError(string code, string message, IReadOnlyDictionary<string, object?>? details = null)
    : SpineError(code, message, details);
