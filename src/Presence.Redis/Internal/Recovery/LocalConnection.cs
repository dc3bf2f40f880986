using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// A connection this node registered. The node keeps them so it can put its live connections back,
/// silently, when Redis loses its data (restart, FLUSHALL), and so a heartbeat reuses the member.
/// </summary>
internal sealed class LocalConnection(string userId, int shard, RedisValue member)
{
    public readonly string UserId = userId;
    public readonly RedisValue User = userId;
    public readonly int Shard = shard;
    public readonly RedisValue Member = member;

    /// <summary>The node's <see cref="TimeProvider"/> timestamp of the last connect or heartbeat; only differences are used, so skew does not matter.</summary>
    public long LastSeen;

    /// <summary>Set when the connection was disconnected, so a restore racing the disconnect can undo itself.</summary>
    public volatile bool Removed;
}
