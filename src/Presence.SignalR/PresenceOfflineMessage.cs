using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>
/// The payload of <see cref="PresenceHubMethods.Offline"/>:
/// <c>{ "userId": "alice", "timestamp": "...", "reason": "disconnected", "version": 1738324800000001 }</c>.
/// </summary>
/// <remarks>The member names are pinned for JSON and for MessagePack (through <c>[DataMember]</c>), so both protocols send the same keys.</remarks>
[DataContract]
public sealed class PresenceOfflineMessage
{
    /// <summary>The user who went offline.</summary>
    [JsonPropertyName("userId")]
    [DataMember(Name = "userId")]
    public string UserId { get; init; } = string.Empty;

    /// <summary>
    /// When the user went offline, as a UTC ISO-8601 string (<c>2025-01-31T12:00:00.000Z</c>), from the
    /// store's clock: the disconnect, or the end of the last lease for an expiry. It is the user's last-seen time.
    /// </summary>
    [JsonPropertyName("timestamp")]
    [DataMember(Name = "timestamp")]
    public string Timestamp { get; init; } = string.Empty;

    /// <summary><c>"disconnected"</c> (the last connection closed) or <c>"expired"</c> (its heartbeats stopped).</summary>
    [JsonPropertyName("reason")]
    [DataMember(Name = "reason")]
    public string? Reason { get; init; }

    /// <summary>The user's presence version after the change: of two messages about one user, the higher version is the newer.</summary>
    [JsonPropertyName("version")]
    [DataMember(Name = "version")]
    public long Version { get; init; }
}
