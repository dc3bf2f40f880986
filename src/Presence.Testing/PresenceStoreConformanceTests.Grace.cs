using Xunit;

namespace Presence.Testing;

// Flap suppression: with OfflineGracePeriod set, a user whose last connection closes stays online
// until the grace period ends; a reconnect before then means nobody is told anything.
public abstract partial class PresenceStoreConformanceTests
{
    /// <summary>The offline grace period the grace tests use.</summary>
    protected static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>The ways a user can come back: a new connection, a heartbeat of a new one, a late heartbeat of the closed one.</summary>
    public static TheoryData<string> ReconnectKinds { get; } = ["connect", "ping-new", "ping-closed"];

    [Fact]
    public async Task WithGrace_TheLastDisconnect_ReportsNone_AndTheUserStaysOnlineWithNoConnection()
    {
        var store = await NewGraceStoreAsync();
        var user = NewUserId("alice");
        var tab = NewConnectionId("tab");
        var before = await store.GetCountsAsync();
        await store.AddConnectionAsync(user, tab);

        Assert.Equal(PresenceChange.None, (await store.RemoveConnectionAsync(user, tab)).Change);

        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 0, 0));
        Assert.Contains(user, await store.GetAllOnlineAsync());
        await AssertCountsDeltaAsync(store, before, 1, 0);
    }

    [Fact]
    public async Task WithGrace_ClosingOneOfTwoConnections_StartsNoGracePeriod()
    {
        var store = await NewGraceStoreAsync();
        var user = NewUserId("alice");
        await store.AddConnectionAsync(user, NewConnectionId("a1"));
        await store.AddConnectionAsync(user, NewConnectionId("a2"));

        Assert.Equal(PresenceChange.None, (await store.RemoveConnectionAsync(user, NewConnectionId("a1"))).Change);
        await AdvanceAsync(Grace);
        Assert.DoesNotContain(user, await SweepAllAsync(store));
        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 1, 0));

        var disconnectedAt = Time.GetUtcNow();
        Assert.Equal(PresenceChange.None, (await store.RemoveConnectionAsync(user, NewConnectionId("a2"))).Change);
        await AdvanceAsync(Grace);
        Assert.Equal([new SweptUser(user, OfflineReason.Disconnected, disconnectedAt, 0)], (await SweepAllUsersAsync(store)).Where(u => u.UserId == user));
    }

    [Fact]
    public async Task WithGrace_TheUserGoesOfflineExactlyWhenTheGracePeriodEnds_StampedWithTheDisconnect()
    {
        var store = await NewGraceStoreAsync();
        var user = NewUserId("alice");
        var before = await store.GetCountsAsync();
        var disconnectedAt = await ConnectThenDisconnectAsync(store, user, NewConnectionId("tab"));

        await AdvanceAsync(Grace - TimeResolution);
        Assert.DoesNotContain(user, await SweepAllAsync(store));
        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 0, 0));

        await AdvanceAsync(TimeResolution);
        Assert.Equal([new SweptUser(user, OfflineReason.Disconnected, disconnectedAt, 0)], (await SweepAllUsersAsync(store)).Where(u => u.UserId == user));
        Assert.DoesNotContain(user, await SweepAllAsync(store));
        await AssertPresenceAsync(store, new UserPresence(user, false, null, disconnectedAt, 0, 0));
        Assert.DoesNotContain(user, await store.GetAllOnlineAsync());
        await AssertCountsDeltaAsync(store, before, 0, 0);
    }

    [Theory]
    [MemberData(nameof(ReconnectKinds))]
    public async Task WithGrace_AReconnectOneTickBeforeTheGracePeriodEnds_ReportsNothing(string kind)
    {
        var store = await NewGraceStoreAsync();
        var user = NewUserId("alice");
        var tab = NewConnectionId("tab");
        var reloaded = kind == "ping-closed" ? tab : NewConnectionId("reloaded");
        var before = await store.GetCountsAsync();
        await ConnectThenDisconnectAsync(store, user, tab);
        await AdvanceAsync(Grace - TimeResolution);

        var change = kind == "connect"
            ? (await store.AddConnectionAsync(user, reloaded)).Change
            : (await store.RefreshConnectionAsync(user, reloaded)).Change;

        Assert.Equal(PresenceChange.None, change);
        await AdvanceAsync(Grace);
        Assert.DoesNotContain(user, await SweepAllAsync(store));
        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 1, 0));
        await AssertCountsDeltaAsync(store, before, 1, 1);
    }

    [Fact]
    public async Task WithGrace_AReconnectAfterTheGracePeriodEnded_ReportsCameOnline()
    {
        var store = await NewGraceStoreAsync();
        var user = NewUserId("alice");
        await ConnectThenDisconnectAsync(store, user, NewConnectionId("tab"));
        await AdvanceAsync(Grace);
        Assert.Single(await SweepAllAsync(store), user);

        Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync(user, NewConnectionId("tomorrow"))).Change);

        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 1, 0));
        Assert.Equal(PresenceChange.None, (await store.RemoveConnectionAsync(user, NewConnectionId("tomorrow"))).Change);
    }

    [Fact]
    public async Task WithGrace_ALateSecondDisconnect_DoesNotRestartTheGracePeriod()
    {
        var store = await NewGraceStoreAsync();
        var user = NewUserId("alice");
        var tab = NewConnectionId("tab");
        var disconnectedAt = await ConnectThenDisconnectAsync(store, user, tab);
        await AdvanceAsync(Grace / 2);

        Assert.Equal(PresenceChange.None, (await store.RemoveConnectionAsync(user, tab)).Change);

        await AdvanceAsync(Grace / 2);
        Assert.Equal([new SweptUser(user, OfflineReason.Disconnected, disconnectedAt, 0)], (await SweepAllUsersAsync(store)).Where(u => u.UserId == user));
    }

    [Fact]
    public async Task WithGrace_AnExpiryIsReportedAtOnce_StampedWithTheLeaseEnd_NotTheSweep()
    {
        var store = await NewGraceStoreAsync();
        var user = NewUserId("alice");
        var connectedAt = Time.GetUtcNow();
        await store.AddConnectionAsync(user, NewConnectionId("lid-closed"));

        // The sweep runs late: the event must still say when the lease really ended.
        await AdvanceAsync(Ttl + (Grace / 2));

        Assert.Equal([new SweptUser(user, OfflineReason.Expired, connectedAt + Ttl, 0)], (await SweepAllUsersAsync(store)).Where(u => u.UserId == user));
        await AssertPresenceAsync(store, new UserPresence(user, false, null, connectedAt + Ttl, 0, 0));
        await AdvanceAsync(Grace);
        Assert.DoesNotContain(user, await SweepAllAsync(store));
    }

    [Fact]
    public async Task WithGrace_ADisconnectOnOneNode_AndAReconnectOnAnother_ReportNothing()
    {
        var nodeA = await NewGraceStoreAsync();
        var nodeB = await NewStoreAsync();
        var user = NewUserId("alice");
        await nodeA.AddConnectionAsync(user, NewConnectionId("on-a"));
        Assert.Equal(PresenceChange.None, (await nodeA.RemoveConnectionAsync(user, NewConnectionId("on-a"))).Change);
        await AdvanceAsync(Grace - TimeResolution);

        Assert.Equal(PresenceChange.None, (await nodeB.AddConnectionAsync(user, NewConnectionId("on-b"))).Change);

        await AdvanceAsync(Grace);
        Assert.DoesNotContain(user, await SweepAllAsync(nodeA));
        Assert.DoesNotContain(user, await SweepAllAsync(nodeB));
        await AssertPresenceAsync(nodeA, new UserPresence(user, true, null, null, 1, 0));
        await AssertPresenceAsync(nodeB, new UserPresence(user, true, null, null, 1, 0));
    }

    [Fact]
    public async Task WithGrace_TwoNodesSweeping_ReportEachEndedGracePeriodOnce()
    {
        var nodeA = await NewGraceStoreAsync();
        var nodeB = await NewStoreAsync();
        var users = Enumerable.Range(0, 20).Select(i => NewUserId($"u{i}")).ToArray();
        await ConnectOnTwoNodesAsync(nodeA, nodeB, users);

        var disconnectedAt = Time.GetUtcNow();
        for (var i = 0; i < users.Length; i++)
        {
            Assert.Equal(PresenceChange.None, (await nodeA.RemoveConnectionAsync(users[i], NewConnectionId($"c{i}-a"))).Change);
            Assert.Equal(PresenceChange.None, (await nodeB.RemoveConnectionAsync(users[i], NewConnectionId($"c{i}-b"))).Change);
        }

        await AdvanceAsync(Grace);
        var sweeps = await Task.WhenAll(Task.Run(() => SweepAllUsersAsync(nodeA)), Task.Run(() => SweepAllUsersAsync(nodeB)));

        var swept = sweeps.SelectMany(s => s).ToList();
        Assert.All(users, user => Assert.Equal([new SweptUser(user, OfflineReason.Disconnected, disconnectedAt, 0)], swept.Where(u => u.UserId == user)));
        Assert.Empty(await nodeA.GetOnlineAsync(users));
    }

    [Fact]
    public async Task WithGrace_EndedGracePeriods_CountAgainstTheSweepLimit_AndHasMoreIsReported()
    {
        const int Limit = 2;
        var store = await NewGraceStoreAsync();
        var users = Enumerable.Range(0, 5).Select(i => NewUserId($"u{i}")).ToArray();
        for (var i = 0; i < users.Length; i++)
        {
            await ConnectThenDisconnectAsync(store, users[i], NewConnectionId($"c{i}"));
        }

        await AdvanceAsync(Grace);
        var results = new List<SweepResult>();
        do
        {
            results.Add(await store.SweepExpiredAsync(Limit));
            Assert.True(results.Count < 10_000, "SweepExpiredAsync kept reporting HasMore.");
        }
        while (results[^1].HasMore);

        Assert.True(results[0].HasMore, "Five grace periods ended and the first sweep may end at most two: HasMore must be true.");
        Assert.All(results, r => Assert.InRange(r.Users.Count, 0, Limit));
        Assert.All(results, r => Assert.Equal(0, r.RemovedConnections));
        var swept = results.SelectMany(r => r.UserIds).ToList();
        Assert.All(users, user => Assert.Single(swept, user));
    }
}
