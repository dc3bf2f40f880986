using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// Versions and decision times come from the scripts: per user strictly increasing across nodes,
/// larger after offline then online, floored by Redis time once forgotten, stamped with Redis time.
/// </summary>
public sealed class VersionTests : IAsyncLifetime
{
    private readonly string _keyPrefix = TestRedis.NewPrefix("ver");
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly List<IConnectionMultiplexer> _connections = [];
    private IConnectionMultiplexer? _redis;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        await TestRedis.DeleteKeysAsync(_redis, _keyPrefix);
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task TwoNodesRacingConnectAndDisconnect_GiveEveryUserStrictlyIncreasingVersions_InTransitionOrder(bool cluster, bool frozenClock)
    {
        // A frozen clock leaves only the "previous + 1" rule to keep versions apart.
        var clock = frozenClock ? new FakeTimeProvider(DateTimeOffset.UtcNow) : null;
        var nodes = new[] { await NodeAsync(cluster, clock), await NodeAsync(cluster, clock) };
        var users = Enumerable.Range(0, 3).Select(u => $"racer-{u}").ToArray();
        var transitions = new ConcurrentDictionary<string, ConcurrentQueue<PresenceTransition>>();
        foreach (var user in users)
        {
            transitions[user] = new ConcurrentQueue<PresenceTransition>();
        }

        await Task.WhenAll(Enumerable.Range(0, 6).Select(thread => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var user = users[(thread + i) % users.Length];
                var node = nodes[(thread + i) % nodes.Length];
                var connection = $"c{thread}-{i}";
                Record(user, await node.AddConnectionAsync(user, connection));
                Record(user, await node.RemoveConnectionAsync(user, connection));
            }
        })));

        foreach (var user in users)
        {
            var ordered = transitions[user].OrderBy(t => t.Version).ToList();
            Assert.NotEmpty(ordered);
            Assert.Equal(ordered.Count, ordered.Select(t => t.Version).Distinct().Count());

            // Ordered by version the changes alternate, online first: the version order is the decision order.
            for (var i = 0; i < ordered.Count; i++)
            {
                Assert.Equal(i % 2 == 0 ? PresenceChange.CameOnline : PresenceChange.WentOffline, ordered[i].Change);
                Assert.True(i == 0 || ordered[i].Timestamp >= ordered[i - 1].Timestamp, "decision times never go backwards");
            }

            var presence = Assert.Single(await nodes[0].GetPresenceAsync([user]));
            Assert.Equal(ordered[^1].Version, presence.Version);
        }

        void Record(string user, PresenceTransition transition)
        {
            if (transition.Change != PresenceChange.None)
            {
                transitions[user].Enqueue(transition);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryChange_RaisesTheVersion_StatusIncluded_AndOnlineAfterOfflineIsLarger(bool cluster)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = await NodeAsync(cluster, clock);

        var online = await store.AddConnectionAsync("alice", "a1");
        var status = await store.SetStatusAsync("alice", PresenceStatus.Busy);
        var offline = await store.RemoveConnectionAsync("alice", "a1");
        var back = await store.AddConnectionAsync("alice", "a2");

        Assert.Equal(StatusChange.Changed, status.Change);
        Assert.True(online.Version < status.Version && status.Version < offline.Version && offline.Version < back.Version);
        Assert.Equal(ClockFloor(clock), online.Version);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), back.Timestamp.ToUnixTimeMilliseconds());
        Assert.Equal(StatusTransition.Unchanged, await store.SetStatusAsync("alice", PresenceStatus.Available));
        Assert.Equal(back.Version, Assert.Single(await store.GetPresenceAsync(["alice"])).Version);
    }

    [Fact]
    public async Task InTheGracePeriod_AUserIsNotOnlineForStatus_AndTheGraceEndGetsTheNextVersion()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = await NodeAsync(cluster: false, clock, new PresenceOptions { OfflineGracePeriod = TimeSpan.FromSeconds(5) });
        var online = await store.AddConnectionAsync("gina", "g1");
        var leftAt = clock.GetUtcNow();

        Assert.Equal(PresenceTransition.None, await store.RemoveConnectionAsync("gina", "g1"));
        Assert.Equal(StatusTransition.NotOnline, await store.SetStatusAsync("gina", PresenceStatus.Away));

        clock.Advance(TimeSpan.FromSeconds(6));
        var swept = Assert.Single((await store.SweepExpiredAsync(100)).Users);
        Assert.Equal(("gina", OfflineReason.Disconnected, leftAt.ToUnixTimeMilliseconds()), (swept.UserId, swept.Reason, swept.Timestamp.ToUnixTimeMilliseconds()));
        Assert.True(swept.Version > online.Version);
        Assert.Equal(ClockFloor(clock), swept.Version);
    }

    [Fact]
    public async Task AnExpiry_IsStampedWithTheLeaseEnd_AndVersionedAtTheSweep()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new PresenceOptions { ConnectionTtl = TimeSpan.FromSeconds(30), HeartbeatInterval = TimeSpan.FromSeconds(10) };
        var store = await NodeAsync(cluster: false, clock, options);
        var online = await store.AddConnectionAsync("ed", "e1");
        var leaseEnd = clock.GetUtcNow() + options.ConnectionTtl;

        clock.Advance(TimeSpan.FromMinutes(2));
        var swept = Assert.Single((await store.SweepExpiredAsync(100)).Users);

        Assert.Equal((OfflineReason.Expired, leaseEnd.ToUnixTimeMilliseconds()), (swept.Reason, swept.Timestamp.ToUnixTimeMilliseconds()));
        Assert.Equal(ClockFloor(clock), swept.Version);
        Assert.True(swept.Version > online.Version);
    }

    [Fact]
    public async Task AVersionForgottenWithTheLastSeenEntry_IsFlooredByRedisTime_SoTheNextOneIsStillLarger()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = await NodeAsync(cluster: false, clock, new PresenceOptions { LastSeenRetention = TimeSpan.FromMinutes(1) }, shards: 1);
        await store.AddConnectionAsync("fred", "f1");
        var offline = await store.RemoveConnectionAsync("fred", "f1");
        var versions = store.Keys.ForShard(0).Version;
        Assert.True(await _redis!.GetDatabase().HashExistsAsync(versions, "fred"));

        clock.Advance(TimeSpan.FromMinutes(2));
        await store.SweepExpiredAsync(100);

        Assert.False(await _redis.GetDatabase().HashExistsAsync(versions, "fred"));
        Assert.Equal(0, Assert.Single(await store.GetPresenceAsync(["fred"])).Version);
        var back = await store.AddConnectionAsync("fred", "f2");
        Assert.True(back.Version > offline.Version);
    }

    [Fact]
    public async Task TransitionTimes_AreRedisTime_NotTheNodeClock()
    {
        // The node's clock is decades off; the stamps and the version floor still follow Redis TIME.
        var store = await NodeAsync(cluster: false, clock: null, timeProvider: new FakeTimeProvider(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        var server = _redis!.GetServer(_redis.GetEndPoints()[0]);

        var before = new DateTimeOffset(await server.TimeAsync(), TimeSpan.Zero);
        var online = await store.AddConnectionAsync("tess", "t1");
        var status = await store.SetStatusAsync("tess", PresenceStatus.Away);
        var offline = await store.RemoveConnectionAsync("tess", "t1");
        var after = new DateTimeOffset(await server.TimeAsync(), TimeSpan.Zero).AddSeconds(1);

        foreach (var (at, version) in new[] { (online.Timestamp, online.Version), (status.Timestamp, status.Version), (offline.Timestamp, offline.Version) })
        {
            Assert.InRange(at, before.AddSeconds(-1), after);
            Assert.InRange(version, PresenceVersion.FromTime(at), PresenceVersion.FromTime(at.AddMilliseconds(1)) + 2);
        }
    }

    /// <summary>The version floor under the test clock: the scripts get it in milliseconds.</summary>
    private static long ClockFloor(FakeTimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    private async Task<RedisPresenceStore> NodeAsync(
        bool cluster,
        FakeTimeProvider? clock,
        PresenceOptions? options = null,
        int shards = 16,
        TimeProvider? timeProvider = null)
    {
        _redis ??= cluster ? await TestRedis.ClusterAsync() : await TestRedis.StandaloneAsync();

        // Every node on its own connection, as separate processes would be.
        var connection = await TestRedis.ConnectAsync(cluster ? await TestRedis.ClusterConfigurationAsync() : await TestRedis.StandaloneConfigurationAsync());
        _connections.Add(connection);
        var store = TestRedis.CreateStore(connection, _keyPrefix, timeProvider ?? clock ?? TimeProvider.System, clock, options, shards: shards);
        _disposables.Add(store);
        return store;
    }
}
