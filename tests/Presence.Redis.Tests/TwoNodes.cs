using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;

namespace Presence.Redis.Tests;

/// <summary>
/// Two store instances ("nodes" A and B, each on its own multiplexer) on a redis-server of the test's
/// own, sharing a key prefix. The store clock follows <see cref="Time"/>; each node's own clock stands
/// still, so no periodic data-loss check runs: the test decides which node checks when.
/// </summary>
internal sealed class TwoNodes : IAsyncDisposable
{
    private TwoNodes(RedisServerProcess server, IConnectionMultiplexer redisA, IConnectionMultiplexer redisB, FakeTimeProvider time, PresenceOptions options, string keyPrefix)
    {
        Server = server;
        RedisA = redisA;
        RedisB = redisB;
        Time = time;
        A = TestRedis.CreateStore(redisA, keyPrefix, new FakeTimeProvider(), time, options, shards: 2);
        B = TestRedis.CreateStore(redisB, keyPrefix, new FakeTimeProvider(), time, options, shards: 2);
    }

    public RedisServerProcess Server { get; }

    public IConnectionMultiplexer RedisA { get; }

    public IConnectionMultiplexer RedisB { get; }

    public FakeTimeProvider Time { get; }

    public RedisPresenceStore A { get; }

    public RedisPresenceStore B { get; }

    public static async Task<TwoNodes> StartAsync(PresenceOptions options, string keyPrefix)
    {
        var server = await RedisServerProcess.StartAsync();
        var redisA = await TestRedis.ConnectAsync(server.EndPoint);
        var redisB = await TestRedis.ConnectAsync(server.EndPoint);
        return new TwoNodes(server, redisA, redisB, new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)), options, keyPrefix);
    }

    public Task FlushAllAsync() => RedisA.GetServer(Server.EndPoint).FlushAllDatabasesAsync();

    /// <summary>Writes an RDB snapshot now (<c>SAVE</c>); <see cref="RestartAsync"/> then comes back from it.</summary>
    public Task SaveAsync() => RedisA.GetDatabase().ExecuteAsync("SAVE");

    /// <summary>Stops redis-server and starts it again on the same port and directory, and waits until both nodes reach it.</summary>
    public async Task RestartAsync()
    {
        await Server.StopAsync();
        await Server.StartAgainAsync();
        await TestRedis.WaitUntilReachableAsync(RedisA);
        await TestRedis.WaitUntilReachableAsync(RedisB);
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await RedisA.DisposeAsync();
        await RedisB.DisposeAsync();
        await Server.DisposeAsync();
    }
}
