using System.Text.Json;
using System.Text.Json.Serialization;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Messaging;

/// <summary>
/// Writes a grain reference (an argument or result typed as a grain interface) as its key and reads
/// it back as a reference of the receiving process, made by <paramref name="resolve"/> from the
/// declared interface and the key: references stay usable wherever they travel.
/// </summary>
internal sealed class GrainReferenceConverter(Func<Type, string, object> resolve) : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsInterface && typeToConvert != typeof(IGrainWithStringKey) && typeof(IGrainWithStringKey).IsAssignableFrom(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert), resolve)!;

    private sealed class Converter<TGrainInterface>(Func<Type, string, object> resolve) : JsonConverter<TGrainInterface>
        where TGrainInterface : class
    {
        public override TGrainInterface Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string? key = null;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"A reference to a {typeof(TGrainInterface).Name} must be an object with its key.");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var property = reader.GetString();
                reader.Read();
                if (property == "key")
                {
                    key = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            return (TGrainInterface)resolve(typeof(TGrainInterface), key ?? throw new JsonException($"A reference to a {typeof(TGrainInterface).Name} has no key."));
        }

        public override void Write(Utf8JsonWriter writer, TGrainInterface value, JsonSerializerOptions options)
        {
            if (value is not IGrainReference reference)
            {
                throw new JsonException($"Only grain references can be sent as {typeof(TGrainInterface).Name}, not a {value.GetType()}.");
            }

            writer.WriteStartObject();
            writer.WriteString("key", reference.Key);
            writer.WriteEndObject();
        }
    }
}
