namespace Presence.SignalR;

/// <summary>The hub method names of the presence wire contract (see <c>docs/protocol.md</c>).</summary>
public static class PresenceHubMethods
{
    /// <summary>Client to server: the heartbeat. No arguments; returns <c>{ "success": true }</c>.</summary>
    public const string Ping = "presence:ping";

    /// <summary>Server to client: a user came online. Payload: <see cref="PresenceOnlineMessage"/>.</summary>
    public const string Online = "presence:online";

    /// <summary>Server to client: a user went offline. Payload: <see cref="PresenceOfflineMessage"/>.</summary>
    public const string Offline = "presence:offline";

    /// <summary>Server to client, once right after connecting: the online users the connection may see. Payload: <see cref="PresenceBulkOnlineMessage"/>.</summary>
    public const string BulkOnline = "presence:bulk-online";

    /// <summary>
    /// Client to server: sets the caller's status. One argument, <see cref="PresenceSetStatusRequest"/>
    /// (<c>{ "status": "away" }</c>); returns <see cref="PresenceResult"/> (<c>{ "success": true }</c>).
    /// </summary>
    public const string SetStatus = "presence:set-status";

    /// <summary>Server to client: a user changed status. Payload: <see cref="PresenceStatusMessage"/>.</summary>
    public const string Status = "presence:status";

    /// <summary>
    /// Client to server: watch users beyond the interest resolver's audience, for the life of this
    /// connection. One argument, <see cref="PresenceSubscriptionRequest"/> (<c>{ "userIds": [...] }</c>);
    /// returns <see cref="PresenceSubscribeResult"/> (the authorized users who are online now).
    /// </summary>
    public const string Subscribe = "presence:subscribe";

    /// <summary>
    /// Client to server: stop watching users subscribed with <see cref="Subscribe"/>. One argument,
    /// <see cref="PresenceSubscriptionRequest"/>; returns <see cref="PresenceResult"/> (<c>{ "success": true }</c>).
    /// </summary>
    public const string Unsubscribe = "presence:unsubscribe";
}
