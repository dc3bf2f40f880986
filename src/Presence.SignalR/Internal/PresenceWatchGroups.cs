namespace Presence.SignalR.Internal;

/// <summary>
/// Names the SignalR group of each watched user: a subscribing connection joins it, and every event
/// about the user is also sent to it, so subscribers hear on every node through the backplane.
/// </summary>
internal static class PresenceWatchGroups
{
    public const string Prefix = "presence:watch:";

    public static string For(string userId) => Prefix + userId;
}
