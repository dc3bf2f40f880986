using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>The argument of <see cref="PresenceHubMethods.SetStatus"/>: <c>{ "status": "away" }</c>.</summary>
/// <param name="Status">
/// <c>available</c>, <c>away</c>, <c>busy</c> (see <see cref="PresenceStatus"/>) or a custom status of
/// at most <see cref="PresenceStatus.MaxLength"/> characters without control characters.
/// </param>
public sealed record PresenceSetStatusRequest(
    [property: JsonPropertyName("status")] string? Status);
