using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>The payload of <see cref="PresenceHubMethods.Status"/>: <c>{ "userId": "...", "status": "away", "timestamp": "..." }</c>.</summary>
/// <param name="UserId">The user whose status changed.</param>
/// <param name="Status">The new status (<see cref="PresenceStatus"/>).</param>
/// <param name="Timestamp">When, as a UTC ISO-8601 string (<c>2025-01-31T12:00:00.000Z</c>).</param>
public sealed record PresenceStatusMessage(
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("timestamp")] string Timestamp);
