using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// Every key the store uses, built in one place. Users are spread over shards; a shard's keys share
/// the hash tag <c>{shard}</c>, so each script touches one hash slot (Redis Cluster) and there is
/// no global hot key. User and connection ids never appear in key names — they are hash fields and
/// sorted-set members — so no id can forge or collide with a key, whatever characters it holds.
/// </summary>
/// <remarks>
/// Per shard <c>s</c>: <c>{prefix}:{s}:expiry</c> (sorted set: member <c>userId \n connectionId</c>,
/// score = lease deadline in Redis server milliseconds), <c>{prefix}:{s}:users</c> (hash: userId →
/// live connection count, <c>0</c> inside the offline grace period), <c>{prefix}:{s}:epoch</c>
/// (string: when the shard's data was created, to notice a restart or FLUSHALL),
/// <c>{prefix}:{s}:grace</c> (sorted set: userId, score = the disconnect that started the grace
/// period), <c>{prefix}:{s}:status</c> (hash: userId → status, online users who set one) and
/// <c>{prefix}:{s}:seen</c> (sorted set: userId, score = when the user went offline; pruned past the retention).
/// </remarks>
internal sealed class RedisPresenceKeys
{
    public const int Expiry = 0;
    public const int Users = 1;
    public const int Epoch = 2;
    public const int Grace = 3;
    public const int Status = 4;
    public const int Seen = 5;

    /// <summary>Separates user and connection in a sorted-set member; ids cannot contain control characters.</summary>
    public const char MemberSeparator = '\n';

    private readonly RedisKey[][] _shards;

    public RedisPresenceKeys(string prefix, int shardCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        Prefix = prefix;
        _shards = new RedisKey[shardCount][];
        for (var s = 0; s < shardCount; s++)
        {
            var tag = string.Create(CultureInfo.InvariantCulture, $"{prefix}:{{{s}}}:");
            _shards[s] = [tag + "expiry", tag + "users", tag + "epoch", tag + "grace", tag + "status", tag + "seen"];
        }
    }

    public string Prefix { get; }

    public int ShardCount => _shards.Length;

    /// <summary>
    /// The keys of a shard, in the order the scripts expect: <see cref="Expiry"/>, <see cref="Users"/>,
    /// <see cref="Epoch"/>, <see cref="Grace"/>, <see cref="Status"/>, <see cref="Seen"/> (KEYS[1] to KEYS[6]).
    /// </summary>
    public RedisKey[] ForShard(int shard) => _shards[shard];

    /// <summary>
    /// The user's shard: FNV-1a over the id's UTF-8 bytes. Stable across processes and platforms
    /// (string.GetHashCode is randomized per process), so every node agrees.
    /// </summary>
    public int ShardOf(string userId)
    {
        Span<byte> buffer = stackalloc byte[PresenceId.MaxLength * 3];
        var length = Encoding.UTF8.GetBytes(userId, buffer);
        var hash = 2166136261u;
        foreach (var b in buffer[..length])
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)_shards.Length);
    }

    /// <summary>
    /// The sorted-set member of a connection, <c>userId \n connectionId</c>, already in UTF-8: a node
    /// keeps it for the connection's life and sends it with every heartbeat, so it is encoded once.
    /// </summary>
    public static RedisValue Member(string userId, string connectionId)
    {
        var userBytes = Encoding.UTF8.GetByteCount(userId);
        var member = new byte[userBytes + 1 + Encoding.UTF8.GetByteCount(connectionId)];
        Encoding.UTF8.GetBytes(userId, member);
        member[userBytes] = (byte)MemberSeparator;
        Encoding.UTF8.GetBytes(connectionId, member.AsSpan(userBytes + 1));
        return member;
    }
}
