using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// The keys of one shard. They share the hash tag <c>{s}</c>, so a script given <see cref="Keys"/>
/// touches one hash slot. See <see cref="RedisPresenceKeys"/> for what each key holds.
/// </summary>
/// <param name="Nodes">Sorted set: node id → the node's lease deadline (Redis ms). KEYS[1].</param>
/// <param name="Users">Hash: userId → version of the user's last reported change, for every user shown online (also inside the grace period). KEYS[2].</param>
/// <param name="Epoch">String: when the shard's data was created, and on which server. KEYS[3].</param>
/// <param name="Grace">Sorted set: userId → the disconnect that started the grace period. KEYS[4].</param>
/// <param name="Status">Hash: userId → status of an online user. KEYS[5].</param>
/// <param name="Seen">Sorted set: userId → when the user went offline. KEYS[6].</param>
/// <param name="Version">Hash: userId → the version of an offline user's offline change; deleted with the last-seen entry. KEYS[7].</param>
/// <param name="Dead">Sorted set: node id → the end of the lease of a node whose connections are being swept. KEYS[8].</param>
/// <param name="Connections">Hash: node id → how many connections the node holds in the shard. KEYS[9].</param>
/// <param name="NodePrefix">The prefix of a node's own hash, <c>{prefix}:{s}:n:{nodeId}</c>: userId → the node's connections of that user.</param>
internal sealed record RedisShardKeys(
    RedisKey Nodes,
    RedisKey Users,
    RedisKey Epoch,
    RedisKey Grace,
    RedisKey Status,
    RedisKey Seen,
    RedisKey Version,
    RedisKey Dead,
    RedisKey Connections,
    string NodePrefix)
{
    private RedisKey[]? _keys;

    /// <summary>The shard's keys in the order every script reads them (KEYS[1] to KEYS[9]); one array, reused for every call.</summary>
    public RedisKey[] Keys => _keys ??= [Nodes, Users, Epoch, Grace, Status, Seen, Version, Dead, Connections];

    /// <summary>The shard's keys followed by node <paramref name="nodeId"/>'s own hash (KEYS[10]), for the scripts a node runs on its connections.</summary>
    public RedisKey[] KeysOfNode(string nodeId) => [Nodes, Users, Epoch, Grace, Status, Seen, Version, Dead, Connections, NodeHash(nodeId)];

    /// <summary>Node <paramref name="nodeId"/>'s hash in this shard.</summary>
    public RedisKey NodeHash(string nodeId) => NodePrefix + nodeId;

    /// <summary>The keys of shard <paramref name="shard"/> under <paramref name="prefix"/>.</summary>
    public static RedisShardKeys For(string prefix, int shard)
    {
        var tag = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}:{{{shard}}}:");
        return new RedisShardKeys(
            tag + "nodes", tag + "users", tag + "epoch", tag + "grace", tag + "status", tag + "seen", tag + "ver", tag + "dead", tag + "conns", tag + "n:");
    }
}
