using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// The keys of one shard. They share the hash tag <c>{s}</c>, so a script given <see cref="Keys"/>
/// touches one hash slot. See <see cref="RedisPresenceKeys"/> for what each key holds.
/// </summary>
/// <param name="Expiry">Sorted set: connection member → lease deadline (Redis ms). KEYS[1].</param>
/// <param name="Users">Hash: userId → live connection count (0 inside the grace period). KEYS[2].</param>
/// <param name="Epoch">String: when the shard's data was created. KEYS[3].</param>
/// <param name="Grace">Sorted set: userId → the disconnect that started the grace period. KEYS[4].</param>
/// <param name="Status">Hash: userId → status of an online user. KEYS[5].</param>
/// <param name="Seen">Sorted set: userId → when the user went offline. KEYS[6].</param>
/// <param name="Version">Hash: userId → the version of the user's last reported change. KEYS[7].</param>
internal sealed record RedisShardKeys(RedisKey Expiry, RedisKey Users, RedisKey Epoch, RedisKey Grace, RedisKey Status, RedisKey Seen, RedisKey Version)
{
    private RedisKey[]? _keys;

    /// <summary>The shard's keys in the order every script reads them (KEYS[1] to KEYS[7]); one array, reused for every call.</summary>
    public RedisKey[] Keys => _keys ??= [Expiry, Users, Epoch, Grace, Status, Seen, Version];

    /// <summary>The keys of shard <paramref name="shard"/> under <paramref name="prefix"/>.</summary>
    public static RedisShardKeys For(string prefix, int shard)
    {
        var tag = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}:{{{shard}}}:");
        return new RedisShardKeys(tag + "expiry", tag + "users", tag + "epoch", tag + "grace", tag + "status", tag + "seen", tag + "ver");
    }
}
