using System.Text.Json.Serialization;

namespace Presence.SignalR;

/// <summary>The argument of <see cref="PresenceHubMethods.Subscribe"/> and <see cref="PresenceHubMethods.Unsubscribe"/>: <c>{ "userIds": ["alice", ...] }</c>.</summary>
/// <param name="UserIds">
/// The users to watch (or stop watching): valid user ids, at most
/// <see cref="PresenceSignalROptions.MaxSubscriptionSize"/> per call. Duplicates count once.
/// </param>
public sealed record PresenceSubscriptionRequest(
    [property: JsonPropertyName("userIds")] IReadOnlyList<string>? UserIds);
