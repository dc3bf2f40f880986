using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>What <see cref="PresenceHubMethods.SetStatus"/> and <see cref="PresenceHubMethods.Unsubscribe"/> return: <c>{ "success": true }</c>.</summary>
/// <param name="Success">
/// <see langword="true"/> when the request took effect; <see langword="false"/> when it could not
/// (an ignored anonymous connection, or a status set by a connection whose lease already expired).
/// </param>
public sealed record PresenceResult(
    [property: JsonPropertyName("success")] bool Success);
