using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>What <see cref="PresenceHubMethods.Ping"/> returns: <c>{ "success": true }</c>.</summary>
/// <param name="Success">
/// <see langword="true"/> when the connection's lease was refreshed; <see langword="false"/> for an
/// anonymous connection that <see cref="PresenceSignalROptions.IgnoreAnonymousConnections"/> let in untracked.
/// </param>
public sealed record PresencePingResult(
    [property: JsonPropertyName("success")] bool Success);
