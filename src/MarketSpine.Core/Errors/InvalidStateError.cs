namespace MarketSpine.Core.Errors;

/// <summary>The operation is not allowed in the current state (a schema ahead of the code, say).</summary>
public sealed class InvalidStateError(string code, string message, IReadOnlyDictionary<string, object?>? details = null)
    : SpineError(code, message, details);
