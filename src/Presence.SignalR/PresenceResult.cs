using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>
/// What <see cref="PresenceHubMethods.Ping"/>, <see cref="PresenceHubMethods.SetStatus"/> and
/// <see cref="PresenceHubMethods.Unsubscribe"/> return: <c>{ "success": true }</c>.
/// </summary>
[DataContract]
public sealed class PresenceResult
{
    /// <summary>
    /// <see langword="true"/> when the call took effect; <see langword="false"/> when it could not (an
    /// anonymous connection that <see cref="PresenceSignalROptions.IgnoreAnonymousConnections"/> let in
    /// untracked, or a status set by a connection whose lease already expired).
    /// </summary>
    [JsonPropertyName("success")]
    [DataMember(Name = "success")]
    public bool Success { get; init; }
}
