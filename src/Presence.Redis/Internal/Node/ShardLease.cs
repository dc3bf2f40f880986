using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// This node's lease in one shard: its id there and its keys. A node holds one per shard; when Redis
/// reports it lost (the node was cut off longer than the lease, and another node swept its
/// connections and reported their users offline), the node takes a new one, and its live
/// connections register again, loudly, with their next heartbeat.
/// </summary>
internal sealed class ShardLease
{
    public ShardLease(string nodeId, RedisShardKeys keys)
    {
        NodeId = nodeId;
        Id = nodeId;
        Keys = keys.KeysOfNode(nodeId);
    }

    /// <summary>The node id in this shard (<c>base.generation</c>).</summary>
    public string NodeId { get; }

    /// <summary>The node id as a script argument.</summary>
    public RedisValue Id { get; }

    /// <summary>The shard's keys and this node's hash (KEYS[1] to KEYS[10]).</summary>
    public RedisKey[] Keys { get; }

    /// <summary>Whether a script has created the lease in Redis (until then the scripts may create it).</summary>
    public volatile bool Created;

    /// <summary>The argument that lets a script create the lease: '1' until <see cref="Created"/>.</summary>
    public RedisValue MayCreate => Created ? "0" : "1";
}
