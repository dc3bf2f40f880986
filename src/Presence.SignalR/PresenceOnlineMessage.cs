using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>
/// The payload of <see cref="PresenceHubMethods.Online"/>:
/// <c>{ "userId": "alice", "timestamp": "2025-01-31T12:00:00.000Z", "version": 1738324800000000 }</c>.
/// </summary>
/// <remarks>The member names are pinned for JSON and for MessagePack (through <c>[DataMember]</c>), so both protocols send the same keys.</remarks>
[DataContract]
public sealed class PresenceOnlineMessage
{
    /// <summary>The user who came online.</summary>
    [JsonPropertyName("userId")]
    [DataMember(Name = "userId")]
    public string UserId { get; init; } = string.Empty;

    /// <summary>When the store decided the user came online, as a UTC ISO-8601 string (<c>2025-01-31T12:00:00.000Z</c>).</summary>
    [JsonPropertyName("timestamp")]
    [DataMember(Name = "timestamp")]
    public string Timestamp { get; init; } = string.Empty;

    /// <summary>The user's presence version after the change: of two messages about one user, the higher version is the newer.</summary>
    [JsonPropertyName("version")]
    [DataMember(Name = "version")]
    public long Version { get; init; }
}
