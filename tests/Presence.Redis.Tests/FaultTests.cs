using Presence.Redis.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// Redis down, restarted empty, or flushed. Each test runs its own redis-server, never the shared one.
/// </summary>
public sealed class FaultTests : IAsyncLifetime
{
    private const int Users = 30;
    private readonly string _keyPrefix = TestRedis.NewPrefix("faults");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private RedisServerProcess _server = null!;
    private IConnectionMultiplexer _redis = null!;
    private PresenceNode _node = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync();
        _redis = await TestRedis.ConnectAsync(_server.EndPoint);
        _node = new PresenceNode(_redis, _keyPrefix, _time);

        // The store decides on the test's clock too, so the test can move past the settling after a data loss.
        ((RedisPresenceStore)_node.Store).ServerClockOverride = () => _time.GetUtcNow().ToUnixTimeMilliseconds();
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _redis.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RedisRestartedEmpty_LiveConnectionsComeBackWithinOneHeartbeatInterval_WithoutEvents()
    {
        var before = await ConnectEveryoneAsync();

        await _server.StopAsync();

        // Down: a heartbeat still succeeds (the lease is in the node's memory); calls that need Redis fail
        // fast with a clear exception, the tracker logs it, nothing is published.
        Assert.Equal(PresenceChange.None, (await _node.Tracker.PingAsync(User(0), Connection(0, 0))).Change);
        var connect = await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => _node.Tracker.ConnectAsync("newcomer", "n1").AsTask());
        Assert.Contains("could not register a connection", connect.Message, StringComparison.Ordinal);
        Assert.Single(_node.Logs.Entries, e => e.EventId.Id == 1009 && e.Level == LogLevel.Warning && e.Exception is null);

        await _server.StartAgainAsync();
        await TestRedis.WaitUntilReachableAsync(_redis);

        // Redis came back empty. One heartbeat interval later the node has put its connections back, silently.
        _time.Advance(TimeSpan.FromSeconds(25));
        await TestRedis.WaitUntilAsync(async () => await TryCountsAsync() == before, "the live connections to be re-registered");

        Assert.Empty(_node.Events);
        Assert.Contains(_node.Logs.Entries, e => e.EventId.Id == 2001);
        await AssertHealedAsync();
    }

    [Fact]
    public async Task FlushAll_HeartbeatsRacingTheRecovery_ReportNoTransitions_AndEverythingComesBack()
    {
        var before = await ConnectEveryoneAsync();

        await _redis.GetServer(_server.EndPoint).FlushAllDatabasesAsync();

        // Heartbeats arriving before the node noticed: the connections never dropped, so no CameOnline.
        for (var u = 0; u < Users; u += 3)
        {
            Assert.Equal(PresenceChange.None, (await _node.Tracker.PingAsync(User(u), Connection(u, 0))).Change);
        }

        _time.Advance(TimeSpan.FromSeconds(25));
        await TestRedis.WaitUntilAsync(async () => await TryCountsAsync() == before, "the live connections to be re-registered");

        Assert.Empty(_node.Events);
        await AssertHealedAsync();
    }

    [Fact]
    public async Task FlushAll_DuringAGracePeriod_TheUserIsStillReportedOffline_WhenItEnds()
    {
        // More than the settling (two heartbeat intervals) is left when it is put back: it ends as it would have.
        var grace = TimeSpan.FromSeconds(50);
        await using var node = new PresenceNode(_redis, _keyPrefix + "-grace", _time, new PresenceOptions { OfflineGracePeriod = grace, HeartbeatInterval = TimeSpan.FromSeconds(10) });
        ((Presence.Redis.Internal.RedisPresenceStore)node.Store).ServerClockOverride = () => _time.GetUtcNow().ToUnixTimeMilliseconds();
        await node.Tracker.ConnectAsync("leaver", "l1");
        await node.Tracker.ConnectAsync("stayer", "s1");
        node.Events.Clear();
        var leftAt = _time.GetUtcNow();
        Assert.Equal(PresenceChange.None, (await node.Tracker.DisconnectAsync("leaver", "l1")).Change);

        await _redis.GetServer(_server.EndPoint).FlushAllDatabasesAsync();
        _time.Advance(TimeSpan.FromSeconds(25));
        await TestRedis.WaitUntilAsync(
            async () => await node.Store.GetCountsAsync() == new PresenceCounts(2, 1),
            "the live connection and the grace period to be put back");

        Assert.Equal(
            [("leaver", true, 0), ("stayer", true, 1)],
            (await node.Store.GetPresenceAsync(["leaver", "stayer"])).Select(p => (p.UserId, p.IsOnline, p.ConnectionCount)));
        Assert.Empty(node.Events);
        _time.Advance(grace - TimeSpan.FromSeconds(25));
        Assert.Equal(1, await node.Tracker.SweepAsync());

        // The lost version field is floored by the clock: the offline still outranks the connect.
        var offline = Assert.IsType<UserOffline>(Assert.Single(node.Events));
        Assert.Equal(("leaver", leftAt, OfflineReason.Disconnected), (offline.UserId, offline.Timestamp, offline.Reason));
        Assert.True(offline.Version > PresenceVersion.FromTime(leftAt), "version above the disconnect's clock floor");
    }

    [Fact]
    public async Task RedisUnreachable_StoreCallsFailFast_TheTrackerLogs_AndTheHostKeepsRunning()
    {
        await _server.StopAsync();
        var logs = new CapturingLoggerProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(logs);
        builder.Services.AddPresence(o => o.SweepInterval = TimeSpan.FromSeconds(1))
            .AddRedisStore($"{_server.EndPoint},connectTimeout=2000");
        builder.Services.AddSingleton<TimeProvider>(_time);
        using var host = builder.Build();
        await host.StartAsync();
        var tracker = host.Services.GetRequiredService<IPresenceTracker>();

        var first = await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => tracker.ConnectAsync("alice", "a1").AsTask());
        var second = await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => tracker.PingAsync("alice", "a1").AsTask());
        await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => tracker.GetCountsAsync().AsTask());

        Assert.Contains("key prefix 'presence'", first.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<RedisException>(second.InnerException);
        Assert.Single(logs.Entries, e => e.EventId.Id == 1009 && e.Message.Contains(nameof(IPresenceTracker.ConnectAsync), StringComparison.Ordinal));

        // The background sweep fails too and keeps running; the outage was logged once, not per sweep.
        _time.Advance(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        await host.StopAsync();
        Assert.Single(logs.Entries, e => e.EventId.Id == 1009);
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Id is 1002 or 1006);
    }

    private static string User(int u) => $"user-{u}";

    private static string Connection(int u, int k) => $"conn-{u}-{k}";

    private async Task<PresenceCounts> ConnectEveryoneAsync()
    {
        for (var u = 0; u < Users; u++)
        {
            Assert.Equal(PresenceChange.CameOnline, (await _node.Tracker.ConnectAsync(User(u), Connection(u, 0))).Change);
            Assert.Equal(PresenceChange.None, (await _node.Tracker.ConnectAsync(User(u), Connection(u, 1))).Change);
        }

        Assert.Equal(Users, _node.Events.Count);
        _node.Events.Clear();
        var counts = await _node.Store.GetCountsAsync();
        Assert.Equal(new PresenceCounts(Users, Users * 2), counts);
        return counts;
    }

    private async Task<PresenceCounts?> TryCountsAsync()
    {
        try
        {
            return await _node.Store.GetCountsAsync();
        }
        catch (PresenceStoreUnavailableException)
        {
            return null;
        }
    }

    /// <summary>After recovery: heartbeats report nothing, nothing expires, a real disconnect reports one offline.</summary>
    private async Task AssertHealedAsync()
    {
        for (var u = 0; u < Users; u++)
        {
            Assert.Equal(PresenceChange.None, (await _node.Tracker.PingAsync(User(u), Connection(u, 0))).Change);
            Assert.True(await _node.Tracker.IsOnlineAsync(User(u)));
        }

        Assert.Equal(0, await _node.Tracker.SweepAsync());
        Assert.Empty(_node.Events);

        // Two heartbeat intervals after the new epoch the shard has settled: a last disconnect is reported at once again.
        for (var step = 0; step < 2; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(26));
            for (var u = 0; u < Users; u++)
            {
                Assert.Equal(PresenceChange.None, (await _node.Tracker.PingAsync(User(u), Connection(u, 0))).Change);
                Assert.Equal(PresenceChange.None, (await _node.Tracker.PingAsync(User(u), Connection(u, 1))).Change);
            }
        }

        Assert.Equal(PresenceChange.None, (await _node.Tracker.DisconnectAsync(User(0), Connection(0, 0))).Change);
        Assert.Equal(PresenceChange.WentOffline, (await _node.Tracker.DisconnectAsync(User(0), Connection(0, 1))).Change);
        var offline = Assert.IsType<UserOffline>(Assert.Single(_node.Events));
        Assert.Equal((User(0), OfflineReason.Disconnected), (offline.UserId, offline.Reason));
    }
}
