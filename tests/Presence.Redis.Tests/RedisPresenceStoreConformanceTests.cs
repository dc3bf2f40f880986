using StackExchange.Redis;

namespace Presence.Redis.Tests;

/// <summary>The conformance suite on a standalone redis-server.</summary>
public sealed class RedisPresenceStoreConformanceTests : RedisConformanceTestsBase
{
    private protected override Task<IConnectionMultiplexer> ConnectAsync() => TestRedis.StandaloneAsync();
}
