using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// Redis restarts from an RDB snapshot older than the last changes (SAVE, changes, SHUTDOWN NOSAVE,
/// start on the same directory): the epoch comes back with the old data, but the server's run id
/// changed, so the nodes notice and reconcile: no ghost, no second offline, no second online, and
/// versions keep increasing. Two nodes on separate multiplexers, one redis-server of the test's own.
/// </summary>
public sealed class RestartFromSnapshotTests : IAsyncLifetime
{
    private static readonly PresenceOptions Options = new()
    {
        ConnectionTtl = TimeSpan.FromSeconds(60),
        HeartbeatInterval = TimeSpan.FromSeconds(10),
    };

    private readonly string _keyPrefix = TestRedis.NewPrefix("snapshot");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    // The nodes' own clocks stand still: no periodic check runs, the test decides when they check.
    private readonly FakeTimeProvider _nodeTimeA = new();
    private readonly FakeTimeProvider _nodeTimeB = new();
    private RedisServerProcess _server = null!;
    private IConnectionMultiplexer _redisA = null!;
    private IConnectionMultiplexer _redisB = null!;
    private RedisPresenceStore _a = null!;
    private RedisPresenceStore _b = null!;

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

    [Fact]
    public async Task RestartFromAnOlderSnapshot_NoGhost_NoSecondOffline_NoSecondOnline_VersionsKeepIncreasing()
    {
        Assert.Equal(PresenceChange.CameOnline, (await _a.AddConnectionAsync("ghost", "g1")).Change);
        Assert.Equal(PresenceChange.CameOnline, (await _a.AddConnectionAsync("stayer", "s1")).Change);
        await _redisA.GetDatabase().ExecuteAsync("SAVE");

        // After the snapshot: one user leaves (reported offline), one arrives (reported online).
        _time.Advance(TimeSpan.FromSeconds(1));
        var left = await _a.RemoveConnectionAsync("ghost", "g1");
        Assert.Equal(PresenceChange.WentOffline, left.Change);
        var arrived = await _b.AddConnectionAsync("late", "l1");
        Assert.Equal(PresenceChange.CameOnline, arrived.Change);

        await _server.StopAsync();
        await _server.StartAgainAsync();
        await WaitUntilReachableAsync(_redisA);
        await WaitUntilReachableAsync(_redisB);
        _time.Advance(TimeSpan.FromSeconds(1));

        // A heartbeat racing the recovery: the connection never went away, so it is not "back".
        Assert.Equal(PresenceChange.None, (await _b.RefreshConnectionAsync("late", "l1")).Change);
        await _a.CheckForDataLossAsync();
        await _b.CheckForDataLossAsync();

        var presence = (await _a.GetPresenceAsync(["ghost", "stayer", "late"])).ToDictionary(p => p.UserId);
        Assert.False(presence["ghost"].IsOnline, "the user who left after the snapshot is not back");
        Assert.Equal(1, presence["stayer"].ConnectionCount);
        Assert.Equal(1, presence["late"].ConnectionCount);

        // The snapshot's lease of the closed connection never expires into a second offline.
        for (var i = 0; i < 7; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal(PresenceChange.None, (await _a.RefreshConnectionAsync("stayer", "s1")).Change);
            Assert.Equal(PresenceChange.None, (await _b.RefreshConnectionAsync("late", "l1")).Change);
            Assert.Empty((await _a.SweepExpiredAsync(100)).Users);
        }

        // Versions still increase across the restart (the clock floor): the next changes outrank the last.
        var back = await _b.AddConnectionAsync("ghost", "g2");
        Assert.Equal(PresenceChange.CameOnline, back.Change);
        Assert.True(back.Version > left.Version, $"{back.Version} > {left.Version}");
        var gone = await _b.RemoveConnectionAsync("late", "l1");
        Assert.Equal(PresenceChange.WentOffline, gone.Change);
        Assert.True(gone.Version > arrived.Version, $"{gone.Version} > {arrived.Version}");
    }

    private static async Task WaitUntilReachableAsync(IConnectionMultiplexer redis) =>
        await TestRedis.WaitUntilAsync(
            async () =>
            {
                try
                {
                    await redis.GetDatabase().PingAsync();
                    return true;
                }
                catch (RedisException)
                {
                    return false;
                }
            },
            "Redis to be reachable again");
}
