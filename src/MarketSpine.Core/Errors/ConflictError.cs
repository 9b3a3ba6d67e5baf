namespace MarketSpine.Core.Errors;

/// <summary>The request collides with something that exists or runs (a held logical key, say); the API answers 409.</summary>
public sealed class ConflictError(string code, string message, IReadOnlyDictionary<string, object?>? details = null)
    : SpineError(code, message, details);
