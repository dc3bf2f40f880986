using System.Collections.Frozen;
using System.Runtime.Serialization;
using System.Text.Json.Serialization;
using Presence.SignalR.Internal;

namespace Presence.SignalR;

/// <summary>
/// What <see cref="PresenceHubMethods.Subscribe"/> returns:
/// <c>{ "online": ["alice"], "statuses": { "alice": "away" }, "lastSeen": { "bob": "2025-01-31T12:00:00.000Z" }, "versions": { "alice": 17, "bob": 9 } }</c>.
/// Only users the viewer was authorized to watch appear; the others were silently left out.
/// </summary>
/// <remarks>The member names are pinned for JSON and for MessagePack (through <c>[DataMember]</c>), so both protocols send the same keys.</remarks>
[DataContract]
public sealed class PresenceSubscribeResult
{
    /// <summary>The watched users (of this call) who are online now.</summary>
    [JsonPropertyName("online")]
    [DataMember(Name = "online")]
    public IReadOnlyList<string> Online { get; init; } = [];

    /// <summary>
    /// The status of each online watched user whose status is not <c>available</c>; <see langword="null"/>
    /// (omitted from the JSON) when there is none.
    /// </summary>
    [JsonPropertyName("statuses")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(VerbatimKeyMapConverter<string>))]
    [DataMember(Name = "statuses")]
    public IReadOnlyDictionary<string, string>? Statuses { get; init; }

    /// <summary>
    /// When each offline watched user was last seen (UTC ISO-8601), for those the store still remembers;
    /// <see langword="null"/> (omitted from the JSON) when there is none.
    /// </summary>
    [JsonPropertyName("lastSeen")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(VerbatimKeyMapConverter<string>))]
    [DataMember(Name = "lastSeen")]
    public IReadOnlyDictionary<string, string>? LastSeen { get; init; }

    /// <summary>The presence version of every user listed in <see cref="Online"/> or <see cref="LastSeen"/>.</summary>
    [JsonPropertyName("versions")]
    [JsonConverter(typeof(VerbatimKeyMapConverter<long>))]
    [DataMember(Name = "versions")]
    public IReadOnlyDictionary<string, long> Versions { get; init; } = FrozenDictionary<string, long>.Empty;
}
