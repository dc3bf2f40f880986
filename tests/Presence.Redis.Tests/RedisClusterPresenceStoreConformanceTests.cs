using StackExchange.Redis;

namespace Presence.Redis.Tests;

/// <summary>The conformance suite on a 3-master Redis Cluster: every script must stay in one hash slot.</summary>
public sealed class RedisClusterPresenceStoreConformanceTests : RedisConformanceTestsBase
{
    private protected override Task<IConnectionMultiplexer> ConnectAsync() => TestRedis.ClusterAsync();
}
