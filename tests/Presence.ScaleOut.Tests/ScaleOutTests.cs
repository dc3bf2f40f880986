using System.Diagnostics;
using Presence.ScaleOut.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Presence.ScaleOut.Tests;

/// <summary>
/// Two real demo processes on one real Redis: presence crosses nodes, survives a node crash and a
/// Redis restart, and a clean stop says goodbye.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public sealed class ScaleOutTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScaleOutCluster _cluster = new();

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync()
    {
        output.WriteLine("--- node A ---\n" + (_cluster.A?.Output ?? string.Empty));
        output.WriteLine("--- node B ---\n" + (_cluster.B?.Output ?? string.Empty));
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_user_on_node_A_hears_about_a_teammate_on_node_B_and_B_lists_users_of_A()
    {
        var alice = await _cluster.ConnectAsync(_cluster.A, "alice");
        var bob = await _cluster.ConnectAsync(_cluster.B, "bob");
        var carol = await _cluster.ConnectAsync(_cluster.B, "carol", team: "blue");

        await alice.WaitForOnlineAsync("bob", ScaleOutCluster.Patience);
        Assert.Contains("alice", bob.LastBulk);
        Assert.DoesNotContain("alice", carol.LastBulk);

        // A user of another team connecting after alice: carol must hear nothing of alice, alice nothing of carol.
        var dave = await _cluster.ConnectAsync(_cluster.A, "dave");
        await alice.WaitForOnlineAsync("dave", ScaleOutCluster.Patience);
        await bob.WaitForOnlineAsync("dave", ScaleOutCluster.Patience);
        Assert.Empty(alice.About("carol"));
        Assert.DoesNotContain(carol.About("alice"), m => m.Kind != "bulk");
        Assert.Empty(carol.About("dave"));
    }

    [Fact]
    public async Task Versions_decided_on_both_nodes_strictly_increase_and_bulk_online_carries_them()
    {
        var watcher = await _cluster.ConnectAsync(_cluster.B, "watcher");
        var onA = await _cluster.ConnectAsync(_cluster.A, "vera");
        var online = await watcher.WaitForOnlineAsync("vera", ScaleOutCluster.Patience);
        await onA.DisposeAsync();
        var offline = await watcher.WaitForOfflineAsync("vera", ScaleOutCluster.Patience);

        var onB = await _cluster.ConnectAsync(_cluster.B, "vera");
        var again = await watcher.WaitForAsync(
            m => m.Kind == "online" && m.UserId == "vera" && m.Sequence > offline.Sequence, ScaleOutCluster.Patience, "vera online again");

        Assert.True(online.Version > 0 && online.Version < offline.Version && offline.Version < again.Version,
            $"versions {online.Version} < {offline.Version} < {again.Version}");
        var bulk = onB.LastBulkMessage;
        Assert.Equal(again.Version, bulk.Versions["vera"]);
        Assert.Equal(bulk.Users.Order(StringComparer.Ordinal), bulk.Versions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((long)ScaleOutCluster.HeartbeatInterval.TotalMilliseconds, bulk.HeartbeatIntervalMs);
    }

    [Fact]
    public async Task One_user_with_a_tab_on_each_node_is_one_presence()
    {
        var watcher = await _cluster.ConnectAsync(_cluster.B, "watcher");
        var tabOnA = await _cluster.ConnectAsync(_cluster.A, "uma");
        await watcher.WaitForOnlineAsync("uma", ScaleOutCluster.Patience);

        var tabOnB = await _cluster.ConnectAsync(_cluster.B, "uma");
        await Eventually.TrueAsync(
            async () => (await ScaleOutCluster.GetPresenceAsync(_cluster.A, "uma")).Connections == 2,
            ScaleOutCluster.Patience, "uma has two connections in the store");

        await tabOnA.DisposeAsync();
        await Eventually.TrueAsync(
            async () => (await ScaleOutCluster.GetPresenceAsync(_cluster.B, "uma")).Connections == 1,
            ScaleOutCluster.Patience, "uma's tab on A is gone from the store");

        // A marker user's event travels the same path; once it arrived, anything about uma would have too.
        await _cluster.ConnectAsync(_cluster.A, "marker");
        await watcher.WaitForOnlineAsync("marker", ScaleOutCluster.Patience);
        Assert.Single(watcher.About("uma"), m => m.Kind == "online");
        Assert.DoesNotContain(watcher.About("uma"), m => m.Kind == "offline");

        await tabOnB.DisposeAsync();
        var offline = await watcher.WaitForOfflineAsync("uma", ScaleOutCluster.Patience);
        Assert.Equal("disconnected", offline.Reason);
    }

    [Fact]
    public async Task Killing_a_node_expires_its_users_exactly_once_and_never_users_still_pinging_elsewhere()
    {
        var watcher = await _cluster.ConnectAsync(_cluster.B, "watcher");
        await _cluster.ConnectAsync(_cluster.A, "only-on-a-1");
        await _cluster.ConnectAsync(_cluster.A, "only-on-a-2");
        await _cluster.ConnectAsync(_cluster.A, "on-both");
        await _cluster.ConnectAsync(_cluster.B, "on-both");
        foreach (var user in new[] { "only-on-a-1", "only-on-a-2", "on-both" })
        {
            await watcher.WaitForOnlineAsync(user, ScaleOutCluster.Patience);
        }

        var killedAt = Stopwatch.StartNew();
        await _cluster.A.KillAsync();

        var first = await watcher.WaitForOfflineAsync("only-on-a-1", ScaleOutCluster.Patience);
        var second = await watcher.WaitForOfflineAsync("only-on-a-2", ScaleOutCluster.Patience);
        var elapsed = killedAt.Elapsed;
        Assert.Equal("expired", first.Reason);
        Assert.Equal("expired", second.Reason);

        // Bound from the design: TTL + sweep interval + 1 s of delivery.
        var bound = ScaleOutCluster.ConnectionTtl + ScaleOutCluster.SweepInterval + TimeSpan.FromSeconds(1);
        output.WriteLine($"Both users of the killed node reported offline {elapsed.TotalSeconds:0.00} s after the kill (bound {bound.TotalSeconds:0.0} s).");
        Assert.True(elapsed <= bound, $"Expiry took {elapsed.TotalSeconds:0.00} s; the bound is {bound.TotalSeconds:0.0} s.");

        // on-both's connection on A expired too, but the user still pings on B: never offline.
        await Eventually.TrueAsync(
            async () => (await ScaleOutCluster.GetPresenceAsync(_cluster.B, "on-both")).Connections == 1,
            ScaleOutCluster.Patience, "on-both's dead connection on A is swept");
        await _cluster.ConnectAsync(_cluster.B, "marker");
        await watcher.WaitForOnlineAsync("marker", ScaleOutCluster.Patience);
        Assert.Single(watcher.About("only-on-a-1"), m => m.Kind == "offline");
        Assert.Single(watcher.About("only-on-a-2"), m => m.Kind == "offline");
        Assert.DoesNotContain(watcher.About("on-both"), m => m.Kind == "offline");
    }

    [Fact]
    public async Task After_a_Redis_restart_live_users_are_online_again_without_an_offline_online_pair()
    {
        var watcher = await _cluster.ConnectAsync(_cluster.B, "watcher");
        var ada = await _cluster.ConnectAsync(_cluster.A, "ada");
        await _cluster.ConnectAsync(_cluster.B, "ben");
        await watcher.WaitForOnlineAsync("ada", ScaleOutCluster.Patience);
        await watcher.WaitForOnlineAsync("ben", ScaleOutCluster.Patience);

        await _cluster.Redis.KillAsync();
        await _cluster.Redis.StartAsync(); // same port, no data
        var back = Stopwatch.StartNew();

        // A node answers again once its connection to Redis is back (how soon is StackExchange.Redis's
        // reconnect policy); from then on its store has one heartbeat interval to restore its live users.
        await Eventually.TrueAsync(
            async () => await ScaleOutCluster.TryGetPresenceAsync(_cluster.A, "ada") is not null
                && await ScaleOutCluster.TryGetPresenceAsync(_cluster.B, "ada") is not null,
            ScaleOutCluster.Patience, "both nodes reach Redis again");
        var reconnected = back.Elapsed;
        var restoring = Stopwatch.StartNew();
        foreach (var user in new[] { "ada", "ben", "watcher" })
        {
            await Eventually.TrueAsync(
                async () => (await ScaleOutCluster.TryGetPresenceAsync(_cluster.A, user))?.Online == true,
                ScaleOutCluster.Patience, $"{user} is online in the restarted store");
        }

        var restored = restoring.Elapsed;
        output.WriteLine(
            $"Both nodes reached Redis {reconnected.TotalSeconds:0.00} s after it answered again; every live user was back in the store "
            + $"{restored.TotalSeconds:0.00} s later (heartbeat interval {ScaleOutCluster.HeartbeatInterval.TotalSeconds} s).");
        var bound = ScaleOutCluster.HeartbeatInterval + TimeSpan.FromSeconds(1);
        Assert.True(restored <= bound, $"Restoring took {restored.TotalSeconds:0.00} s; the bound is one heartbeat interval + 1 s = {bound.TotalSeconds:0.0} s.");

        // Let a full TTL pass with everyone pinging, then use a marker as a barrier for in-flight events.
        var settled = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => Task.FromResult(settled.Elapsed > ScaleOutCluster.ConnectionTtl + ScaleOutCluster.SweepInterval), ScaleOutCluster.Patience, "a TTL has passed");
        await _cluster.ConnectAsync(_cluster.A, "marker");
        await watcher.WaitForOnlineAsync("marker", ScaleOutCluster.Patience);
        Assert.DoesNotContain(watcher.About("ada"), m => m.Kind == "offline");
        Assert.DoesNotContain(watcher.About("ben"), m => m.Kind == "offline");

        // The teams were in the lost data too: each node wrote back its users' teams, so a newcomer
        // sees both and a real goodbye still reaches the team.
        var late = await _cluster.ConnectAsync(_cluster.B, "late");
        Assert.Contains("ada", late.LastBulk);
        Assert.Contains("ben", late.LastBulk);
        await ada.DisposeAsync();
        var offline = await watcher.WaitForOfflineAsync("ada", ScaleOutCluster.Patience);
        Assert.Equal("disconnected", offline.Reason);
        Assert.Single(watcher.About("ada"), m => m.Kind == "offline");
    }

    [Fact]
    public async Task A_clean_stop_of_a_node_reports_its_users_disconnected_promptly()
    {
        var watcher = await _cluster.ConnectAsync(_cluster.B, "watcher");
        await _cluster.ConnectAsync(_cluster.A, "leaving");
        await watcher.WaitForOnlineAsync("leaving", ScaleOutCluster.Patience);

        var stoppedAt = Stopwatch.StartNew();
        await _cluster.A.StopGracefullyAsync(ScaleOutCluster.Patience);
        var offline = await watcher.WaitForOfflineAsync("leaving", ScaleOutCluster.Patience);

        Assert.Equal("disconnected", offline.Reason);
        output.WriteLine($"Reported offline {stoppedAt.Elapsed.TotalSeconds:0.00} s after SIGTERM.");
        Assert.True(stoppedAt.Elapsed < ScaleOutCluster.ConnectionTtl, "A clean stop must not wait for expiry.");
    }
}
