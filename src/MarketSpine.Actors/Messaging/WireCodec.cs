using System.Text.Json;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Runtime;

namespace MarketSpine.Actors.Messaging;

/// <summary>
/// The payloads of calls between processes, as UTF-8 JSON: the format the runtime already copies
/// arguments with, so a type that works within one silo works across the cluster. A request names
/// the grain, the method by its wire name, the time the caller has left, the call chain (for deadlock
/// detection) and the arguments, each serialized as its declared parameter type; an answer carries
/// the result or the error, and which activation answered.
/// </summary>
internal sealed class WireCodec(JsonSerializerOptions options)
{
    public JsonSerializerOptions Options { get; } = options;

    public byte[] EncodeRequest(RequestHeader header, CallLink? chain, object?[] arguments, IReadOnlyList<Type> parameterTypes)
    {
        using var pooled = PooledJsonWriter.Rent();
        var writer = pooled.Writer;
        writer.WriteStartObject();
        writer.WriteString("mode", header.Mode == CallMode.Execute ? "execute" : "route");
        if (header.GrainType is not null)
        {
            writer.WriteString("type", header.GrainType);
        }

        writer.WriteString("key", header.Key);
        writer.WriteString("method", header.Method);
        writer.WriteNumber("timeoutMs", Math.Max(0, (long)header.Timeout.TotalMilliseconds));
        writer.WriteNumber("forwards", header.Forwards);
        writer.WriteStartArray("chain");
        for (var link = chain; link is not null; link = link.Parent)
        {
            if (link.Export() is { } exported)
            {
                writer.WriteStartObject();
                writer.WriteString("activation", exported.ActivationId);
                writer.WriteNumber("sequence", exported.Sequence);
                writer.WriteString("call", exported.Describe());
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("args");
        for (var i = 0; i < arguments.Length; i++)
        {
            JsonSerializer.Serialize(writer, arguments[i], parameterTypes[i], Options);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return pooled.ToArray();
    }

    public static CallRequest DecodeRequest(ReadOnlyMemory<byte> payload)
    {
        var document = JsonDocument.Parse(payload);
        try
        {
            var root = document.RootElement;
            var header = new RequestHeader(
                root.GetProperty("mode").GetString() == "execute" ? CallMode.Execute : CallMode.Route,
                root.TryGetProperty("type", out var type) ? type.GetString() : null,
                root.GetProperty("key").GetString()!,
                root.GetProperty("method").GetString()!,
                TimeSpan.FromMilliseconds(root.GetProperty("timeoutMs").GetInt64()),
                root.GetProperty("forwards").GetInt32());
            var links = root.GetProperty("chain").EnumerateArray().ToList();
            CallLink? parent = null;
            for (var i = links.Count - 1; i >= 0; i--)
            {
                parent = new RemoteCallLink(
                    links[i].GetProperty("activation").GetGuid(), links[i].GetProperty("sequence").GetInt64(), links[i].GetProperty("call").GetString()!, parent);
            }

            return new CallRequest(document, header, parent, [.. root.GetProperty("args").EnumerateArray()]);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    public byte[] EncodeResult(object? result, Type resultType, GrainAddress? answeredBy) =>
        Encode(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WritePropertyName("result");
            JsonSerializer.Serialize(writer, result, resultType, Options);
        }, answeredBy);

    public static byte[] EncodeError(Exception error, bool rejected, GrainAddress? answeredBy) =>
        Encode(writer =>
        {
            writer.WriteBoolean("ok", false);
            writer.WriteString("errorType", error is Errors.RemoteGrainException remote ? remote.RemoteType : error.GetType().FullName);
            writer.WriteString("errorMessage", error.Message);
            writer.WriteBoolean("rejected", rejected);
        }, answeredBy);

    /// <summary>Reads an answer, with the silo and activation that gave it when the grain ran.</summary>
    public static CallResponse DecodeResponse(byte[] payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        var (answeredOn, activation) = root.TryGetProperty("silo", out var silo)
            ? (new SiloAddress(silo.GetString()!, root.GetProperty("generation").GetInt64()), root.GetProperty("activation").GetGuid())
            : ((SiloAddress?)null, Guid.Empty);
        return root.GetProperty("ok").GetBoolean()
            ? new CallResponse(true, root.GetProperty("result").Clone(), null, null, false, answeredOn, activation)
            : new CallResponse(false, null, root.GetProperty("errorType").GetString(), root.GetProperty("errorMessage").GetString(),
                root.GetProperty("rejected").GetBoolean(), answeredOn, activation);
    }

    private static byte[] Encode(Action<Utf8JsonWriter> body, GrainAddress? answeredBy)
    {
        using var pooled = PooledJsonWriter.Rent();
        var writer = pooled.Writer;
        writer.WriteStartObject();
        body(writer);
        if (answeredBy is not null)
        {
            writer.WriteString("silo", answeredBy.Silo.Name);
            writer.WriteNumber("generation", answeredBy.Silo.Generation);
            writer.WriteString("activation", answeredBy.ActivationId);
        }

        writer.WriteEndObject();
        return pooled.ToArray();
    }
}
