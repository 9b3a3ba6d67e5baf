using System.Text.Json;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// A call to a grain method, whatever its result type: what the router needs to send it to a local
/// activation or to another silo, and to answer it from another silo's response.
/// </summary>
internal abstract class GrainCall(GrainMethod method, GrainId grain, object?[] arguments, CallLink? parent, long sentAt, long deadline, bool remoteCaller)
    : Message(parent, sentAt, deadline)
{
    public GrainMethod Method { get; } = method;

    public GrainId Grain { get; } = grain;

    public object?[] Arguments { get; } = arguments;

    public override bool IsReadOnly => Method.IsReadOnly;

    public override bool AlwaysInterleave => Method.AlwaysInterleave;

    public override bool KeepsAlive => true;

    /// <summary>How many times a silo that lost the grain's registration has passed the call on.</summary>
    public int Forwards { get; set; }

    /// <summary>
    /// Whether the caller is in another process (the call came over the transport). Its result is not
    /// copied, since it is serialized anyway, and what waits for the answer is the runtime's own
    /// encoding of it for the transport, not the caller's code.
    /// </summary>
    public bool RemoteCaller { get; } = remoteCaller;

    /// <summary>The activation that answered, once answered (a remote caller learns from it where the grain lives).</summary>
    public GrainAddress? AnsweredBy { get; protected set; }

    public override string Describe() => $"{Target?.Id.ToString() ?? Grain.ToString()}.{Method.Name}";

    /// <summary>Answers with a result that came from another silo, as JSON of the method's result type.</summary>
    public abstract bool TryAnswer(JsonElement? result, JsonSerializerOptions options, GrainAddress? answeredBy);

    /// <summary>The answer, boxed, for sending back to a remote caller; throws the call's error.</summary>
    public abstract Task<object?> AnswerAsync();
}
