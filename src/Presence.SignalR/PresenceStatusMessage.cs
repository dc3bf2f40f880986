using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>
/// The payload of <see cref="PresenceHubMethods.Status"/>:
/// <c>{ "userId": "alice", "status": "away", "timestamp": "...", "version": 1738324800000002 }</c>.
/// </summary>
/// <remarks>The member names are pinned for JSON and for MessagePack (through <c>[DataMember]</c>), so both protocols send the same keys.</remarks>
[DataContract]
public sealed class PresenceStatusMessage
{
    /// <summary>The user whose status changed.</summary>
    [JsonPropertyName("userId")]
    [DataMember(Name = "userId")]
    public string UserId { get; init; } = string.Empty;

    /// <summary>The new status (<see cref="PresenceStatus"/>).</summary>
    [JsonPropertyName("status")]
    [DataMember(Name = "status")]
    public string Status { get; init; } = string.Empty;

    /// <summary>When the store decided the change, as a UTC ISO-8601 string (<c>2025-01-31T12:00:00.000Z</c>).</summary>
    [JsonPropertyName("timestamp")]
    [DataMember(Name = "timestamp")]
    public string Timestamp { get; init; } = string.Empty;

    /// <summary>The user's presence version after the change: of two messages about one user, the higher version is the newer.</summary>
    [JsonPropertyName("version")]
    [DataMember(Name = "version")]
    public long Version { get; init; }
}
