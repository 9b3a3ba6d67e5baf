using MarketSpine.Core.Errors;

namespace MarketSpine.Cli.Remote;

/// <summary>An error a server answered that the command layer has no own type for (a server fault, the server out of reach).</summary>
public sealed class RemoteError(string code, string message, IReadOnlyDictionary<string, object?>? details = null) : SpineError(code, message, details);
