using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// After data loss, node A puts back a grace period for a user who came back on node B: the user is
/// never swept offline while connected, whichever of A's grace restore and B's connection restore
/// (or heartbeat) reaches Redis first. Two store instances on separate multiplexers, one redis-server, FLUSHALL.
/// </summary>
public sealed class RestoredGraceTests : IAsyncLifetime
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);
    private static readonly PresenceOptions Options = new()
    {
        ConnectionTtl = TimeSpan.FromSeconds(60),
        HeartbeatInterval = TimeSpan.FromSeconds(10),
        OfflineGracePeriod = Grace,
    };

    private readonly string _keyPrefix = TestRedis.NewPrefix("regrace");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    // Each node's own clock stands still: no periodic check runs, the test decides who restores when.
    private readonly FakeTimeProvider _nodeTimeA = new();
    private readonly FakeTimeProvider _nodeTimeB = new();
    private RedisServerProcess _server = null!;
    private IConnectionMultiplexer _redisA = null!;
    private IConnectionMultiplexer _redisB = null!;
    private RedisPresenceStore _a = null!;
    private RedisPresenceStore _b = null!;

    public enum Order
    {
        GraceFirst,
        ConnectionFirst,
        GraceThenHeartbeat,
    }

    public async Task InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync();
        _redisA = await TestRedis.ConnectAsync(_server.EndPoint);
        _redisB = await TestRedis.ConnectAsync(_server.EndPoint);
        _a = TestRedis.CreateStore(_redisA, _keyPrefix, _nodeTimeA, _time, Options, shards: 2);
        _b = TestRedis.CreateStore(_redisB, _keyPrefix, _nodeTimeB, _time, Options, shards: 2);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _redisA.DisposeAsync();
        await _redisB.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(Order.GraceFirst)]
    [InlineData(Order.ConnectionFirst)]
    [InlineData(Order.GraceThenHeartbeat)]
    public async Task AGraceRestoredByA_ForAUserConnectedOnB_NeverSweepsThemOffline(Order order)
    {
        Assert.Equal(PresenceChange.CameOnline, (await _a.AddConnectionAsync("u", "a1")).Change);
        Assert.Equal(PresenceChange.None, (await _a.RemoveConnectionAsync("u", "a1")).Change);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(PresenceChange.None, (await _b.AddConnectionAsync("u", "b1")).Change);

        // Data loss near the end of A's grace period: it would end before B's next check (a check period, 5 s).
        _time.Advance(Grace - TimeSpan.FromSeconds(4));
        await _redisA.GetServer(_server.EndPoint).FlushAllDatabasesAsync();
        switch (order)
        {
            case Order.GraceFirst:
                await _a.CheckForDataLossAsync();
                _time.Advance(TimeSpan.FromSeconds(4));
                Assert.Empty((await _a.SweepExpiredAsync(100)).Users);
                await _b.CheckForDataLossAsync();
                break;
            case Order.ConnectionFirst:
                await _b.CheckForDataLossAsync();
                await _a.CheckForDataLossAsync();
                break;
            case Order.GraceThenHeartbeat:
                await _a.CheckForDataLossAsync();
                Assert.Equal(PresenceChange.None, (await _b.RefreshConnectionAsync("u", "b1")).Change);
                break;
        }

        _time.Advance(Grace);
        Assert.Empty((await _a.SweepExpiredAsync(100)).Users);
        Assert.Empty((await _b.SweepExpiredAsync(100)).Users);
        Assert.Equal(1, Assert.Single(await _a.GetPresenceAsync(["u"])).ConnectionCount);
        Assert.Equal(PresenceChange.None, (await _b.RefreshConnectionAsync("u", "b1")).Change);

        // The one real offline, later, is reported once, when B's grace period ends.
        Assert.Equal(PresenceChange.None, (await _b.RemoveConnectionAsync("u", "b1")).Change);
        _time.Advance(Grace + TimeSpan.FromSeconds(1));
        Assert.Equal("u", Assert.Single((await _b.SweepExpiredAsync(100)).Users).UserId);
        Assert.Empty((await _a.SweepExpiredAsync(100)).Users);
    }

    [Fact]
    public async Task AGraceRestoredNearItsEnd_ForAUserWhoStaysAway_EndsOneHeartbeatIntervalAfterTheRestore()
    {
        await _a.AddConnectionAsync("u", "a1");
        await _a.RemoveConnectionAsync("u", "a1");
        _time.Advance(Grace - TimeSpan.FromSeconds(4));
        await _redisA.GetServer(_server.EndPoint).FlushAllDatabasesAsync();
        await _a.CheckForDataLossAsync();
        var restoredAt = _time.GetUtcNow();

        _time.Advance(Options.HeartbeatInterval - TimeSpan.FromMilliseconds(1));
        Assert.Empty((await _b.SweepExpiredAsync(100)).Users);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var swept = Assert.Single((await _b.SweepExpiredAsync(100)).Users);
        Assert.Equal(("u", restoredAt + Options.HeartbeatInterval - Grace), (swept.UserId, swept.Timestamp));
    }
}
