using System.Security.Cryptography;
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
/// Per shard <c>s</c>: <c>{prefix}:{s}:expiry</c> (sorted set: member <c>userId \n connection</c>, see <see cref="Member"/>,
/// score = lease deadline in Redis server milliseconds), <c>{prefix}:{s}:users</c> (hash: userId →
/// live connection count, <c>0</c> inside the offline grace period), <c>{prefix}:{s}:epoch</c>
/// (string: when the shard's data was created, to notice a restart or FLUSHALL),
/// <c>{prefix}:{s}:grace</c> (sorted set: userId, score = the disconnect that started the grace
/// period), <c>{prefix}:{s}:status</c> (hash: userId → status, online users who set one) and
/// <c>{prefix}:{s}:seen</c> (sorted set: userId, score = when the user went offline; pruned past the retention) and
/// <c>{prefix}:{s}:ver</c> (hash: userId → the version of the user's last reported change; deleted with the
/// user's last-seen entry).
/// </remarks>
internal sealed class RedisPresenceKeys
{
    /// <summary>Separates user and connection in a sorted-set member; ids cannot contain control characters.</summary>
    public const char MemberSeparator = '\n';

    /// <summary>Connection ids this long or longer (UTF-8 bytes) are stored as this many bytes of their SHA-256.</summary>
    public const int HashedConnectionLength = 16;

    private readonly RedisShardKeys[] _shards;

    public RedisPresenceKeys(string prefix, int shardCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        Prefix = prefix;
        _shards = new RedisShardKeys[shardCount];
        for (var s = 0; s < shardCount; s++)
        {
            _shards[s] = RedisShardKeys.For(prefix, s);
        }
    }

    public string Prefix { get; }

    public int ShardCount => _shards.Length;

    /// <summary>The keys of a shard.</summary>
    public RedisShardKeys ForShard(int shard) => _shards[shard];

    /// <summary>The keys of the user's shard.</summary>
    public RedisShardKeys ForUser(string userId) => _shards[ShardOf(userId)];

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
    /// The sorted-set member of a connection, <c>userId \n connection</c>, already in UTF-8: a node
    /// keeps it for the connection's life and sends it with every heartbeat, so it is encoded once.
    /// </summary>
    /// <remarks>
    /// A connection id of fewer than <see cref="HashedConnectionLength"/> UTF-8 bytes is kept as it
    /// is; a longer one (SignalR's have 22 characters) is replaced by the first 16 bytes of its
    /// SHA-256. Only the member's user part is ever read back (by the sweep, up to the first
    /// <c>\n</c>), and the two forms have different lengths, so ids stay distinct: two connections
    /// of one user would have to collide in 128 bits of SHA-256. Each member sits in the sorted set's
    /// dictionary and skiplist, so the 6 bytes saved on a 22-character id moved the member of a
    /// 12-character user id into Redis's next smaller allocation (48 to 32 bytes).
    /// </remarks>
    public static RedisValue Member(string userId, string connectionId)
    {
        var userBytes = Encoding.UTF8.GetByteCount(userId);
        var connectionBytes = Encoding.UTF8.GetByteCount(connectionId);
        var hashed = connectionBytes >= HashedConnectionLength;
        var member = new byte[userBytes + 1 + (hashed ? HashedConnectionLength : connectionBytes)];
        Encoding.UTF8.GetBytes(userId, member);
        member[userBytes] = (byte)MemberSeparator;
        if (!hashed)
        {
            Encoding.UTF8.GetBytes(connectionId, member.AsSpan(userBytes + 1));
            return member;
        }

        Span<byte> utf8 = stackalloc byte[PresenceId.MaxLength * 3];
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(connectionId, utf8)], digest);
        digest[..HashedConnectionLength].CopyTo(member.AsSpan(userBytes + 1));
        return member;
    }
}
