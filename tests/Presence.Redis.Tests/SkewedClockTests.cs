using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>Leases run on Redis's clock: a node whose own clock is a minute off changes nothing.</summary>
public sealed class SkewedClockTests : IAsyncLifetime
{
    private readonly string _keyPrefix = TestRedis.NewPrefix("skew");
    private readonly List<IAsyncDisposable> _stores = [];
    private IConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await TestRedis.StandaloneAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await TestRedis.DeleteKeysAsync(_redis, _keyPrefix);
    }

    [Fact]
    public async Task ANodeWhoseClockRunsAMinuteAhead_DoesNotExpireOthersEarly_OnRealRedisTime()
    {
        var now = DateTimeOffset.UtcNow;
        var options = new PresenceOptions { ConnectionTtl = TimeSpan.FromSeconds(30), HeartbeatInterval = TimeSpan.FromSeconds(10) };
        var honest = Node(new FakeTimeProvider(now), redisClock: null, options);
        var ahead = Node(new FakeTimeProvider(now + TimeSpan.FromMinutes(1)), redisClock: null, options);
        var behind = Node(new FakeTimeProvider(now - TimeSpan.FromMinutes(1)), redisClock: null, options);
        var alice = $"alice-{Guid.NewGuid():N}";
        var bob = $"bob-{Guid.NewGuid():N}";

        Assert.Equal(PresenceChange.CameOnline, (await honest.AddConnectionAsync(alice, "a1")).Change);
        Assert.Equal(PresenceChange.CameOnline, (await behind.AddConnectionAsync(bob, "b1")).Change);

        // A store trusting node clocks would expire both here: "ahead" thinks a minute passed.
        var swept = await ahead.SweepExpiredAsync(1000);
        Assert.DoesNotContain(alice, swept.UserIds);
        Assert.DoesNotContain(bob, swept.UserIds);
        Assert.True(await ahead.IsOnlineAsync(alice));
        Assert.True(await ahead.IsOnlineAsync(bob));
    }

    [Fact]
    public async Task ANodeWhoseClockRunsBehind_DoesNotKeepGhosts()
    {
        var redisClock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new PresenceOptions { ConnectionTtl = TimeSpan.FromSeconds(60), HeartbeatInterval = TimeSpan.FromSeconds(25) };
        var clocks = new[] { redisClock.GetUtcNow(), redisClock.GetUtcNow() - TimeSpan.FromMinutes(1), redisClock.GetUtcNow() + TimeSpan.FromMinutes(1) }
            .Select(start => new FakeTimeProvider(start)).ToArray();
        var honest = Node(clocks[0], redisClock, options);
        var behind = Node(clocks[1], redisClock, options);
        var ahead = Node(clocks[2], redisClock, options);
        var ghost = $"ghost-{Guid.NewGuid():N}";
        var live = $"live-{Guid.NewGuid():N}";

        await behind.AddConnectionAsync(ghost, "g1");
        await ahead.AddConnectionAsync(live, "l1");
        await AdvanceAsync(TimeSpan.FromSeconds(59));
        await ahead.RefreshConnectionAsync(live, "l1");
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        // Exactly one TTL later: the silent connection is gone, the refreshed one is not. Each node
        // measures its own connections' leases on its own clock, so how far the clocks are apart never matters.
        var swept = new List<string>();
        foreach (var node in new[] { honest, behind, ahead })
        {
            swept.AddRange((await node.SweepExpiredAsync(1000)).UserIds);
        }

        Assert.Equal([ghost], swept);
        Assert.False(await honest.IsOnlineAsync(ghost));
        Assert.True(await honest.IsOnlineAsync(live));

        async Task AdvanceAsync(TimeSpan by)
        {
            // Every node is alive: its clock moves with Redis's and its lease is renewed as its timer would.
            for (var left = by; left > TimeSpan.Zero; left -= TimeSpan.FromSeconds(10))
            {
                var step = left < TimeSpan.FromSeconds(10) ? left : TimeSpan.FromSeconds(10);
                redisClock.Advance(step);
                foreach (var clock in clocks)
                {
                    clock.Advance(step);
                }

                foreach (var node in new[] { honest, behind, ahead })
                {
                    await ((Presence.Redis.Internal.RedisPresenceStore)node).CheckForDataLossAsync();
                }
            }
        }
    }

    private IPresenceStore Node(FakeTimeProvider nodeClock, FakeTimeProvider? redisClock, PresenceOptions options)
    {
        var store = TestRedis.CreateStore(_redis, _keyPrefix, nodeClock, redisClock, options);
        _stores.Add(store);
        return store;
    }
}
