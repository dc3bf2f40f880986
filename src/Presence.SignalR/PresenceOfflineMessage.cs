using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>The payload of <see cref="PresenceHubMethods.Offline"/>: <c>{ "userId": "...", "timestamp": "...", "reason": "disconnected" }</c>.</summary>
/// <param name="UserId">The user who went offline.</param>
/// <param name="Timestamp">When, as a UTC ISO-8601 string (<c>2025-01-31T12:00:00.000Z</c>).</param>
/// <param name="Reason"><c>"disconnected"</c> (the last connection closed) or <c>"expired"</c> (its heartbeats stopped).</param>
public sealed record PresenceOfflineMessage(
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("reason")] string? Reason);
