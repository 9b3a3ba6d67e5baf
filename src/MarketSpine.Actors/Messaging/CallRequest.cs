using System.Text.Json;
using MarketSpine.Actors.Runtime;

namespace MarketSpine.Actors.Messaging;

/// <summary>
/// A decoded call request. The arguments stay JSON until the receiver knows the method's parameter
/// types; they point into the parsed document, which disposing releases.
/// </summary>
internal sealed class CallRequest(JsonDocument document, RequestHeader header, CallLink? parent, JsonElement[] arguments) : IDisposable
{
    public RequestHeader Header { get; } = header;

    /// <summary>The chain of the request during which the call was made, rebuilt from the request.</summary>
    public CallLink? Parent { get; } = parent;

    public IReadOnlyList<JsonElement> Arguments { get; } = arguments;

    public void Dispose() => document.Dispose();
}
