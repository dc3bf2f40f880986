using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// A connection this node holds. Its lease lives here, not in Redis: a heartbeat stamps
/// <see cref="LastSeen"/> and nothing else, and the node's own sweep expires it when it goes silent.
/// Redis counts it in the node's hash of the shard, under the <see cref="Lease"/> it was registered with.
/// </summary>
internal sealed class LocalConnection(string userId, int shard)
{
    public readonly string UserId = userId;
    public readonly RedisValue User = userId;
    public readonly int Shard = shard;

    /// <summary>The node's <see cref="TimeProvider"/> timestamp of the last connect or heartbeat; only differences are used, so skew does not matter.</summary>
    public long LastSeen;

    /// <summary>A <see cref="LocalConnectionState"/> value.</summary>
    public int State;

    /// <summary>The node's lease in the shard the connection is counted under; when the node's current lease differs, it is not counted.</summary>
    public volatile ShardLease? Lease;
}
