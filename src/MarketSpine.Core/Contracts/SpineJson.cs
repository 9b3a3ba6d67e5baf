using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarketSpine.Core.Contracts;

/// <summary>JSON as every Market Spine surface writes it: snake_case names, enums as snake_case strings.</summary>
public static class SpineJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>One value on one line, for streams of JSON objects (JSON Lines).</summary>
    public static string SerializeLine<T>(T value) => JsonSerializer.Serialize(value, LineOptions);

    private static JsonSerializerOptions LineOptions { get; } = new(Options) { WriteIndented = false };
}
