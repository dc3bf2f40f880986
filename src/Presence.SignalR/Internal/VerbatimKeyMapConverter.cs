using System.Text.Json;
using System.Text.Json.Serialization;

namespace Presence.SignalR.Internal;

/// <summary>
/// Writes a user-id-keyed map with its keys untouched: a host's <c>DictionaryKeyPolicy</c> (camelCase,
/// say) must never rewrite a user id on the wire.
/// </summary>
internal sealed class VerbatimKeyMapConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    public override IReadOnlyDictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected an object mapping user ids to strings.");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString() ?? throw new JsonException("A map key is missing.");
            reader.Read();
            map[key] = reader.GetString() ?? throw new JsonException($"The value for '{key}' must be a string.");
        }

        return map;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (key, text) in value)
        {
            writer.WriteString(key, text);
        }

        writer.WriteEndObject();
    }
}
