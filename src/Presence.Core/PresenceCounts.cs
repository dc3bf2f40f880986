namespace Presence;

/// <summary>How many users are online and how many live connections they hold, store-wide.</summary>
/// <param name="OnlineUsers">The number of online users: at least one live connection, or inside the offline grace period.</param>
/// <param name="Connections">The number of live connections.</param>
public readonly record struct PresenceCounts(long OnlineUsers, long Connections);
