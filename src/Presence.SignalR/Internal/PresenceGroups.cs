namespace Presence.SignalR.Internal;

/// <summary>
/// Names the SignalR groups presence itself manages; every name starts with <see cref="Prefix"/>, so
/// none collides with a host's own groups that do not use it.
/// </summary>
internal static class PresenceGroups
{
    public const string Prefix = "presence:";

    /// <summary>
    /// Every tracked connection of the hub, joined before the connection is registered: the audience
    /// "everyone" is this group, never <c>Clients.All</c>, so ignored anonymous connections hear nothing.
    /// One group send, delivered on every node by a backplane like any group.
    /// </summary>
    public const string Tracked = Prefix + "tracked";

    /// <summary>The prefix of the watch groups.</summary>
    public const string WatchPrefix = Prefix + "watch:";

    /// <summary>
    /// The group of connections watching <paramref name="userId"/>: a subscribing connection joins it,
    /// and every event about the user is also sent to it, so subscribers hear on every node through the backplane.
    /// </summary>
    public static string Watch(string userId) => WatchPrefix + userId;
}
