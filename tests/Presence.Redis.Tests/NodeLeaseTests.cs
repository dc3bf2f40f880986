using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// Node leases on a redis-server of the test's own: heartbeats never reach Redis, a crashed node's
/// users are all reported offline by one sweep, and a node cut off longer than its lease loses its
/// users cluster-wide and brings them back with their next heartbeats.
/// </summary>
public sealed class NodeLeaseTests : IAsyncLifetime
{
    private static readonly PresenceOptions Options = new() { ConnectionTtl = TimeSpan.FromSeconds(30), HeartbeatInterval = TimeSpan.FromSeconds(25) };
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    private readonly string _keyPrefix = TestRedis.NewPrefix("lease");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<IConnectionMultiplexer> _connections = [];
    private readonly List<RedisPresenceStore> _stores = [];
    private RedisServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await RedisServerProcess.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Heartbeats_SendNothingToRedis()
    {
        var node = await NodeAsync();
        for (var i = 0; i < 500; i++)
        {
            await node.AddConnectionAsync($"u{i}", $"c{i}");
        }

        var before = await CommandsProcessedAsync();
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < 500; i++)
            {
                Assert.Equal(PresenceTransition.None, await node.RefreshConnectionAsync($"u{i}", $"c{i}"));
            }
        }

        // Only the INFO call that reads the counter itself.
        Assert.Equal(1, await CommandsProcessedAsync() - before);
    }

    [Fact]
    public async Task ACrashedNode_IsOneSweep_EveryUserOfflineOnce_AtItsLeaseEnd()
    {
        var survivor = await NodeAsync();
        var crashed = await NodeAsync();
        await survivor.AddConnectionAsync("shared", "s-on-survivor");
        for (var i = 0; i < 2000; i++)
        {
            await crashed.AddConnectionAsync($"u{i}", $"c{i}");
        }

        await crashed.AddConnectionAsync("shared", "s-on-crashed");
        await RenewAsync(survivor, crashed);
        var lastRenewal = _time.GetUtcNow();

        // The crash: no goodbye, no renewal from now on.
        _stores.Remove(crashed);
        await crashed.DisposeAsync();
        await AdvanceAsync(Options.ConnectionTtl, survivor);
        await survivor.RefreshConnectionAsync("shared", "s-on-survivor");

        var swept = await survivor.SweepExpiredAsync(10_000);
        Assert.False(swept.HasMore);
        Assert.Equal(2001, swept.RemovedConnections);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"u{i}").Order(), swept.UserIds.Order());
        Assert.All(swept.Users, u => Assert.Equal((OfflineReason.Expired, lastRenewal + Options.ConnectionTtl), (u.Reason, u.Timestamp)));
        Assert.Empty((await survivor.SweepExpiredAsync(10_000)).Users);
        Assert.Equal(new PresenceCounts(1, 1), await survivor.GetCountsAsync());
        Assert.Equal(1, Assert.Single(await survivor.GetPresenceAsync(["shared"])).ConnectionCount);
    }

    [Fact]
    public async Task ACrashedNodeWithMoreThanOneBudget_IsSweptOverSeveralCalls_EachUserOnce()
    {
        var survivor = await NodeAsync();
        var crashed = await NodeAsync();
        for (var i = 0; i < 300; i++)
        {
            await crashed.AddConnectionAsync($"u{i % 100}", $"c{i}");
        }

        await RenewAsync(survivor, crashed);
        _stores.Remove(crashed);
        await crashed.DisposeAsync();
        await AdvanceAsync(Options.ConnectionTtl, survivor);

        var users = new List<string>();
        var removed = 0;
        SweepResult result;
        var calls = 0;
        do
        {
            result = await survivor.SweepExpiredAsync(7);
            Assert.InRange(result.RemovedConnections, 0, 7);
            users.AddRange(result.UserIds);
            removed += result.RemovedConnections;
            Assert.True(++calls < 1000);
        }
        while (result.HasMore);

        Assert.Equal(300, removed);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"u{i}").Order(), users.Order());
    }

    [Fact]
    public async Task ANodeCutOffLongerThanItsLease_LosesItsUsers_AndItsHeartbeatsBringThemBackOnce()
    {
        var other = await NodeAsync();
        var cutOff = await NodeAsync(frozenClock: true);
        for (var i = 0; i < 50; i++)
        {
            await cutOff.AddConnectionAsync($"u{i}", $"c{i}");
        }

        await RenewAsync(other, cutOff);

        // Cut off: its clients keep pinging it, but nothing it sends reaches Redis for longer than its lease.
        await AdvanceAsync(Options.ConnectionTtl, other);
        var swept = await other.SweepExpiredAsync(1000);
        Assert.Equal(50, swept.Users.Count);

        // Back: its renewal learns the lease is gone; each connection's next heartbeat registers it again, loudly.
        await cutOff.CheckForDataLossAsync();
        for (var i = 0; i < 50; i++)
        {
            var back = await cutOff.RefreshConnectionAsync($"u{i}", $"c{i}");
            Assert.Equal(PresenceChange.CameOnline, back.Change);
            Assert.True(back.Version > swept.Users.Single(u => u.UserId == $"u{i}").Version);
            Assert.Equal(PresenceTransition.None, await cutOff.RefreshConnectionAsync($"u{i}", $"c{i}"));
        }

        Assert.Equal(new PresenceCounts(50, 50), await other.GetCountsAsync());
        Assert.Equal(PresenceChange.WentOffline, (await cutOff.RemoveConnectionAsync("u0", "c0")).Change);
    }

    [Fact]
    public async Task ANodeLateButNotYetSwept_KeepsItsLease_AndNothingIsReported()
    {
        var other = await NodeAsync();
        var late = await NodeAsync(frozenClock: true);
        await late.AddConnectionAsync("alice", "a1");
        await RenewAsync(other, late);

        // Its lease ran out, but it renews before anyone swept: nobody was told anything, so nothing changes.
        await AdvanceAsync(Options.ConnectionTtl, other);
        await late.CheckForDataLossAsync();
        Assert.Empty((await other.SweepExpiredAsync(1000)).Users);
        Assert.Equal(PresenceTransition.None, await late.RefreshConnectionAsync("alice", "a1"));
        Assert.True(await other.IsOnlineAsync("alice"));
    }

    [Fact]
    public async Task ASilentConnection_IsExpiredByItsOwnNode_AtItsLeaseEnd()
    {
        var owner = await NodeAsync();
        var other = await NodeAsync();
        await owner.AddConnectionAsync("quiet", "q1");
        await owner.AddConnectionAsync("chatty", "c1");
        var connectedAt = _time.GetUtcNow();

        for (var left = Options.ConnectionTtl; left > TimeSpan.Zero; left -= Step)
        {
            _time.Advance(Step);
            await owner.RefreshConnectionAsync("chatty", "c1");
            await RenewAsync(owner, other);
        }

        Assert.Empty((await other.SweepExpiredAsync(1000)).Users);
        var swept = await owner.SweepExpiredAsync(1000);
        var user = Assert.Single(swept.Users);
        Assert.Equal(("quiet", OfflineReason.Expired, connectedAt + Options.ConnectionTtl), (user.UserId, user.Reason, user.Timestamp));
        Assert.True(await other.IsOnlineAsync("chatty"));
    }

    /// <summary>A node on the shared clock (its renewal timer fires as time moves), or on a clock of its own that stands still (it renews only when the test says).</summary>
    private async Task<RedisPresenceStore> NodeAsync(bool frozenClock = false)
    {
        var connection = await TestRedis.ConnectAsync(_server.EndPoint);
        _connections.Add(connection);
        var store = TestRedis.CreateStore(connection, _keyPrefix, frozenClock ? new FakeTimeProvider(_time.GetUtcNow()) : _time, _time, Options);
        _stores.Add(store);
        return store;
    }

    private static async Task RenewAsync(params RedisPresenceStore[] nodes)
    {
        foreach (var node in nodes)
        {
            await node.CheckForDataLossAsync();
        }
    }

    /// <summary>Moves time on in steps shorter than a renewal period; only <paramref name="alive"/> renew.</summary>
    private async Task AdvanceAsync(TimeSpan by, params RedisPresenceStore[] alive)
    {
        for (var left = by; left > TimeSpan.Zero; left -= Step)
        {
            _time.Advance(Step);
            await RenewAsync(alive);
        }
    }

    private async Task<long> CommandsProcessedAsync()
    {
        var info = await _connections[0].GetServer(_server.EndPoint).InfoAsync("stats");
        return long.Parse(info.SelectMany(g => g).Single(p => p.Key == "total_commands_processed").Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
