using StackExchange.Redis;

namespace Presence.Redis;

/// <summary>
/// Settings of the Redis presence store (<c>AddRedisStore(...)</c>). Set at most one connection
/// source: <see cref="Configuration"/>, <see cref="ConfigurationOptions"/> or
/// <see cref="ConnectionMultiplexerFactory"/>; with none, the <see cref="IConnectionMultiplexer"/>
/// registered in the service collection is used. Validated when the host starts.
/// </summary>
public sealed class RedisPresenceStoreOptions
{
    /// <summary>The default <see cref="KeyPrefix"/>.</summary>
    public const string DefaultKeyPrefix = "presence";

    /// <summary>A StackExchange.Redis configuration string, for example <c>"localhost:6379"</c> or a list of cluster nodes.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Configuration { get; set; }

    /// <summary>StackExchange.Redis configuration options. The store connects with a copy of them.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ConfigurationOptions? ConfigurationOptions { get; set; }

    /// <summary>Creates the connection the store uses. The store does not dispose a connection it did not create itself from <see cref="Configuration"/> or <see cref="ConfigurationOptions"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// The first part of every key the store writes, so several apps can share one Redis. Must not
    /// contain <c>{</c>, <c>}</c>, white space or control characters (the store owns the hash tags).
    /// </summary>
    /// <value>The default value is <c>"presence"</c>.</value>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>
    /// How many shards users are spread over. Each shard is one hash slot holding its users, the
    /// leases of the nodes and each node's connection counts, so there is no global hot key; in a
    /// Redis Cluster the shards spread over the masters. Each node renews one lease per shard it has held
    /// connections in (one script call per shard every <c>min(ConnectionTtl / 3, HeartbeatInterval / 2)</c>)
    /// and each sweep calls every shard, so more shards cost more calls. Every node of one app must
    /// use the same value.
    /// </summary>
    /// <value>The default value is 16.</value>
    public int ExpiryShards { get; set; } = 16;

    /// <summary>
    /// Not used: heartbeats send nothing to Redis (each node keeps its connections' leases in memory
    /// and renews one lease of its own per shard), so there is nothing to batch. The value is still
    /// validated (1 to 10,000) and otherwise ignored.
    /// </summary>
    /// <value>The default value is 1000.</value>
    public int HeartbeatBatchSize { get; set; } = 1000;
}
