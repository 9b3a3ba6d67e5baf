using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarketSpine.Domains.Otc.Model;

/// <summary>A tier as its code (<c>NMS_TIER_1</c>, <c>NMS_TIER_2</c>, <c>OTC</c>), the spelling pipelines and queries accept, rather than the enum's name.</summary>
public sealed class OtcTierJsonConverter : JsonConverter<OtcTier>
{
    public override OtcTier Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        OtcTiers.TryParse(reader.GetString(), out var tier) ? tier : throw new JsonException($"Unknown tier; expected one of {string.Join(", ", OtcTiers.Codes)}.");

    public override void Write(Utf8JsonWriter writer, OtcTier value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToCode());
    }
}
