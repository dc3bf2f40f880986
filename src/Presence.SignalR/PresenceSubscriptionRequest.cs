using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>The argument of <see cref="PresenceHubMethods.Subscribe"/> and <see cref="PresenceHubMethods.Unsubscribe"/>: <c>{ "userIds": ["alice", ...] }</c>.</summary>
[DataContract]
public sealed class PresenceSubscriptionRequest
{
    /// <summary>
    /// The users to watch (or stop watching): valid user ids, at most
    /// <see cref="PresenceSignalROptions.MaxSubscriptionSize"/> per call. Duplicates count once.
    /// </summary>
    [JsonPropertyName("userIds")]
    [DataMember(Name = "userIds")]
    public IReadOnlyList<string>? UserIds { get; init; }
}
