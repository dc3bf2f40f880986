using System.Text.Json;
using System.Text.Json.Serialization;

namespace Presence.SignalR.Internal;

/// <summary>
/// Writes a user-id-keyed map with its keys untouched: a host's <c>DictionaryKeyPolicy</c> (camelCase,
/// say) must never rewrite a user id on the wire.
/// </summary>
/// <typeparam name="TValue">The map's value type (a status or timestamp string, a version number).</typeparam>
internal sealed class VerbatimKeyMapConverter<TValue> : JsonConverter<IReadOnlyDictionary<string, TValue>>
{
    public override IReadOnlyDictionary<string, TValue>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected an object keyed by user id.");
        }

        var map = new Dictionary<string, TValue>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString() ?? throw new JsonException("A map key is missing.");
            reader.Read();
            map[key] = JsonSerializer.Deserialize<TValue>(ref reader, options) ?? throw new JsonException($"The value for '{key}' is missing.");
        }

        return map;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, TValue> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (key, item) in value)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, item, options);
        }

        writer.WriteEndObject();
    }
}
