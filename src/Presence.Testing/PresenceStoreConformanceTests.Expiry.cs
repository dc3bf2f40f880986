using Xunit;

namespace Presence.Testing;

// Leases, heartbeats and sweeps: a connection registered or refreshed at t is expired from t + TTL on.
public abstract partial class PresenceStoreConformanceTests
{
    [Fact]
    public async Task AConnection_IsAliveJustBeforeItsTtl_AndExpiresExactlyAtIt()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var before = await store.GetCountsAsync();
        await store.AddConnectionAsync(user, NewConnectionId("tab"));

        await AdvanceAsync(Ttl - TimeResolution);
        Assert.DoesNotContain(user, await SweepAllAsync(store));
        await AssertUserAsync(store, user, 1);

        await AdvanceAsync(TimeResolution);
        Assert.Equal([user], (await SweepAllAsync(store)).Where(u => u == user));
        await AssertUserAsync(store, user, 0);
        await AssertCountsDeltaAsync(store, before, 0, 0);
        Assert.DoesNotContain(user, await store.GetAllOnlineAsync());
    }

    [Fact]
    public async Task Refresh_ExtendsTheLease()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var connection = NewConnectionId("tab");
        await store.AddConnectionAsync(user, connection);

        // Three heartbeats, each just inside the lease: the connection outlives its first TTL by far.
        for (var i = 0; i < 3; i++)
        {
            await AdvanceAsync(Ttl - TimeResolution);
            Assert.Equal(PresenceChange.None, (await store.RefreshConnectionAsync(user, connection)).Change);
            Assert.DoesNotContain(user, await SweepAllAsync(store));
        }

        await AdvanceAsync(Ttl - TimeResolution);
        Assert.DoesNotContain(user, await SweepAllAsync(store));
        await AssertUserAsync(store, user, 1);

        await AdvanceAsync(TimeResolution);
        Assert.Contains(user, await SweepAllAsync(store));
        await AssertUserAsync(store, user, 0);
    }

    [Fact]
    public async Task RefreshOfAnUnknownConnection_RegistersIt_AndReportsCameOnline()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var before = await store.GetCountsAsync();

        Assert.Equal(PresenceChange.CameOnline, (await store.RefreshConnectionAsync(user, NewConnectionId("lost-by-store"))).Change);

        await AssertUserAsync(store, user, 1);
        await AssertCountsDeltaAsync(store, before, 1, 1);
        Assert.Equal(PresenceChange.WentOffline, (await store.RemoveConnectionAsync(user, NewConnectionId("lost-by-store"))).Change);
    }

    [Fact]
    public async Task RefreshOfAnExpiredConnection_BringsTheUserBackOnline()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var connection = NewConnectionId("laptop-lid");
        await store.AddConnectionAsync(user, connection);
        await AdvanceAsync(Ttl);
        Assert.Contains(user, await SweepAllAsync(store));

        Assert.Equal(PresenceChange.CameOnline, (await store.RefreshConnectionAsync(user, connection)).Change);

        await AssertUserAsync(store, user, 1);
        await AdvanceAsync(Ttl - TimeResolution);
        Assert.DoesNotContain(user, await SweepAllAsync(store));
    }

    [Fact]
    public async Task RefreshOfAnUnknownConnection_WhenTheUserHasAnotherLiveOne_ReportsNone()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var expired = NewConnectionId("expired");
        await store.AddConnectionAsync(user, expired);
        await AdvanceAsync(Ttl / 2);
        await store.AddConnectionAsync(user, NewConnectionId("live"));
        await AdvanceAsync(Ttl / 2);
        Assert.DoesNotContain(user, await SweepAllAsync(store));
        await AssertUserAsync(store, user, 1);

        Assert.Equal(PresenceChange.None, (await store.RefreshConnectionAsync(user, expired)).Change);
        Assert.Equal(PresenceChange.None, (await store.RefreshConnectionAsync(user, NewConnectionId("never-seen"))).Change);

        await AssertUserAsync(store, user, 3);
    }

    [Fact]
    public async Task Sweep_ReportsEachExpiredUserExactlyOnce()
    {
        var store = await NewStoreAsync();
        var alice = NewUserId("alice");
        var bob = NewUserId("bob");
        var before = await store.GetCountsAsync();
        await store.AddConnectionAsync(alice, NewConnectionId("a1"));
        await store.AddConnectionAsync(alice, NewConnectionId("a2"));
        await store.AddConnectionAsync(bob, NewConnectionId("b1"));
        await store.AddConnectionAsync(bob, NewConnectionId("b2"));
        await AdvanceAsync(Ttl);

        var first = await SweepAllAsync(store);
        var second = await store.SweepExpiredAsync(1000);

        Assert.Single(first, alice);
        Assert.Single(first, bob);
        Assert.DoesNotContain(alice, second.UserIds);
        Assert.DoesNotContain(bob, second.UserIds);
        await AssertUserAsync(store, alice, 0);
        await AssertUserAsync(store, bob, 0);
        await AssertCountsDeltaAsync(store, before, 0, 0);
    }

    [Fact]
    public async Task Sweep_DoesNotExpireAUserWithOneExpiredAndOneLiveConnection()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var before = await store.GetCountsAsync();
        await store.AddConnectionAsync(user, NewConnectionId("old"));
        await AdvanceAsync(Ttl / 2);
        await store.AddConnectionAsync(user, NewConnectionId("new"));
        await AdvanceAsync(Ttl / 2);

        Assert.DoesNotContain(user, await SweepAllAsync(store));
        await AssertUserAsync(store, user, 1);
        await AssertCountsDeltaAsync(store, before, 1, 1);

        await AdvanceAsync(Ttl / 2);
        Assert.Single(await SweepAllAsync(store), user);
        await AssertUserAsync(store, user, 0);
    }

    [Fact]
    public async Task Sweep_DoesNotReportARemovedConnection()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var connection = NewConnectionId("closed");
        await store.AddConnectionAsync(user, connection);
        Assert.Equal(PresenceChange.WentOffline, (await store.RemoveConnectionAsync(user, connection)).Change);
        await AdvanceAsync(Ttl * 2);

        Assert.DoesNotContain(user, await SweepAllAsync(store));
        await AssertUserAsync(store, user, 0);
    }

    [Fact]
    public async Task Sweep_WhenNothingExpired_LeavesLiveConnectionsAlone()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        await store.AddConnectionAsync(user, NewConnectionId("live"));

        Assert.DoesNotContain(user, await SweepAllAsync(store));
        await AssertUserAsync(store, user, 1);
    }

    [Fact]
    public async Task DisconnectAfterExpiry_IsHarmless()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var connection = NewConnectionId("late");
        await store.AddConnectionAsync(user, connection);
        await AdvanceAsync(Ttl);
        Assert.Contains(user, await SweepAllAsync(store));
        var before = await store.GetCountsAsync();

        Assert.Equal(PresenceChange.None, (await store.RemoveConnectionAsync(user, connection)).Change);

        await AssertUserAsync(store, user, 0);
        await AssertCountsDeltaAsync(store, before, 0, 0);
    }

    [Fact]
    public async Task Sweep_StopsAtMaxConnections_AndReportsHasMore()
    {
        const int Users = 5;
        const int Limit = 2;
        var store = await NewStoreAsync();
        var users = Enumerable.Range(0, Users).Select(i => NewUserId($"u{i}")).ToArray();
        for (var i = 0; i < Users; i++)
        {
            await store.AddConnectionAsync(users[i], NewConnectionId($"c{i}"));
        }

        await AdvanceAsync(Ttl);
        var expired = new List<string>();
        var results = new List<SweepResult>();
        do
        {
            results.Add(await store.SweepExpiredAsync(Limit));
            expired.AddRange(results[^1].UserIds);
            Assert.True(results.Count < 10_000, "SweepExpiredAsync kept reporting HasMore.");
        }
        while (results[^1].HasMore);

        Assert.True(results[0].HasMore, "Five connections expired and the first sweep removed at most two: HasMore must be true.");
        Assert.All(results, r => Assert.InRange(r.RemovedConnections, 0, Limit));
        Assert.All(results, r => Assert.InRange(r.UserIds.Count, 0, r.RemovedConnections));
        Assert.All(results.Where(r => r.RemovedConnections < Limit), r => Assert.False(r.HasMore));
        Assert.All(users, user => Assert.Single(expired, user));
        var after = await store.SweepExpiredAsync(Limit);
        Assert.All(users, user => Assert.DoesNotContain(user, after.UserIds));
        foreach (var user in users)
        {
            await AssertUserAsync(store, user, 0);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public async Task Sweep_WithMaxConnectionsBelowOne_Throws_AndRemovesNothing(int maxConnections)
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        await store.AddConnectionAsync(user, NewConnectionId("tab"));
        await AdvanceAsync(Ttl);

        var exception = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SweepExpiredAsync(maxConnections).AsTask());

        Assert.Equal("maxConnections", exception.ParamName);
        Assert.Equal(1, await store.GetConnectionCountAsync(user));
        Assert.Single(await SweepAllAsync(store), user);
    }

    [Fact]
    public async Task TwoNodesSweepingTheSameBackend_ReportEachExpiredUserOnce()
    {
        var nodeA = await NewStoreAsync();
        var nodeB = await NewStoreAsync();
        var users = Enumerable.Range(0, 20).Select(i => NewUserId($"u{i}")).ToArray();
        await ConnectOnTwoNodesAsync(nodeA, nodeB, users);

        await AdvanceAsync(Ttl);
        var sweeps = await Task.WhenAll(Task.Run(() => SweepAllAsync(nodeA)), Task.Run(() => SweepAllAsync(nodeB)));

        var expired = sweeps.SelectMany(s => s).ToList();
        Assert.All(users, user => Assert.Single(expired, user));
    }
}
