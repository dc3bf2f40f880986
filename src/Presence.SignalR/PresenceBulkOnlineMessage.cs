using System.Collections.Frozen;
using System.Runtime.Serialization;
using System.Text.Json.Serialization;
using Presence.SignalR.Internal;

namespace Presence.SignalR;

/// <summary>
/// The payload of <see cref="PresenceHubMethods.BulkOnline"/>:
/// <c>{ "users": ["alice", "bob"], "statuses": { "alice": "away" }, "versions": { "alice": 17, "bob": 9 }, "heartbeatIntervalMs": 25000 }</c>.
/// </summary>
/// <remarks>The member names are pinned for JSON and for MessagePack (through <c>[DataMember]</c>), so both protocols send the same keys.</remarks>
[DataContract]
public sealed class PresenceBulkOnlineMessage
{
    /// <summary>The online users the connection's user may see, each once.</summary>
    [JsonPropertyName("users")]
    [DataMember(Name = "users")]
    public IReadOnlyList<string> Users { get; init; } = [];

    /// <summary>
    /// The status of each listed user whose status is not <c>available</c>; <see langword="null"/> (omitted
    /// from the JSON) when every listed user is available.
    /// </summary>
    [JsonPropertyName("statuses")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(VerbatimKeyMapConverter<string>))]
    [DataMember(Name = "statuses")]
    public IReadOnlyDictionary<string, string>? Statuses { get; init; }

    /// <summary>The presence version of every listed user, as the store read it with the list.</summary>
    [JsonPropertyName("versions")]
    [JsonConverter(typeof(VerbatimKeyMapConverter<long>))]
    [DataMember(Name = "versions")]
    public IReadOnlyDictionary<string, long> Versions { get; init; } = FrozenDictionary<string, long>.Empty;

    /// <summary>How often the client should call <see cref="PresenceHubMethods.Ping"/>, in milliseconds (the server's <see cref="PresenceOptions.HeartbeatInterval"/>).</summary>
    [JsonPropertyName("heartbeatIntervalMs")]
    [DataMember(Name = "heartbeatIntervalMs")]
    public long HeartbeatIntervalMs { get; init; }
}
