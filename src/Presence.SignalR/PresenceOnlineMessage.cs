using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>The payload of <see cref="PresenceHubMethods.Online"/>: <c>{ "userId": "...", "timestamp": "..." }</c>.</summary>
/// <param name="UserId">The user who came online.</param>
/// <param name="Timestamp">When, as a UTC ISO-8601 string (<c>2025-01-31T12:00:00.000Z</c>).</param>
public sealed record PresenceOnlineMessage(
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("timestamp")] string Timestamp);
