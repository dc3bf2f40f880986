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
}
