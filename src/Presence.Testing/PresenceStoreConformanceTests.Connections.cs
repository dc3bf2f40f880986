using Xunit;

namespace Presence.Testing;

// Connect and disconnect: one transition per transition, however many tabs.
public abstract partial class PresenceStoreConformanceTests
{
    [Fact]
    public async Task FirstConnection_ReportsCameOnline()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var before = await store.GetCountsAsync();

        Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync(user, NewConnectionId("a1"))).Change);

        await AssertUserAsync(store, user, 1);
        await AssertCountsDeltaAsync(store, before, 1, 1);
        Assert.Contains(user, await store.GetAllOnlineAsync());
    }

    [Fact]
    public async Task SecondConnection_DoesNotReannounceTheUser()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var before = await store.GetCountsAsync();
        await store.AddConnectionAsync(user, NewConnectionId("tab1"));

        Assert.Equal(PresenceChange.None, (await store.AddConnectionAsync(user, NewConnectionId("tab2"))).Change);

        await AssertUserAsync(store, user, 2);
        await AssertCountsDeltaAsync(store, before, 1, 2);
    }

    [Fact]
    public async Task ClosingOneOfTwoConnections_ChangesNothing()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var before = await store.GetCountsAsync();
        await store.AddConnectionAsync(user, NewConnectionId("tab1"));
        await store.AddConnectionAsync(user, NewConnectionId("tab2"));

        Assert.Equal(PresenceChange.None, (await store.RemoveConnectionAsync(user, NewConnectionId("tab1"))).Change);

        await AssertUserAsync(store, user, 1);
        await AssertCountsDeltaAsync(store, before, 1, 1);
    }

    [Fact]
    public async Task ClosingTheLastConnection_ReportsWentOfflineExactlyOnce()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var before = await store.GetCountsAsync();
        await store.AddConnectionAsync(user, NewConnectionId("tab1"));
        await store.AddConnectionAsync(user, NewConnectionId("tab2"));

        var first = (await store.RemoveConnectionAsync(user, NewConnectionId("tab1"))).Change;
        var last = (await store.RemoveConnectionAsync(user, NewConnectionId("tab2"))).Change;
        var again = (await store.RemoveConnectionAsync(user, NewConnectionId("tab2"))).Change;

        Assert.Equal([PresenceChange.None, PresenceChange.WentOffline, PresenceChange.None], [first, last, again]);
        await AssertUserAsync(store, user, 0);
        await AssertCountsDeltaAsync(store, before, 0, 0);
        Assert.DoesNotContain(user, await store.GetAllOnlineAsync());
    }

    [Fact]
    public async Task ReconnectAfterGoingOffline_ReportsCameOnlineAgain()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var connection = NewConnectionId("tab1");
        await store.AddConnectionAsync(user, connection);
        await store.RemoveConnectionAsync(user, connection);

        Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync(user, connection)).Change);
        await AssertUserAsync(store, user, 1);
    }

    [Fact]
    public async Task AddingARegisteredConnection_RefreshesItsLease_AndReportsNone()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var connection = NewConnectionId("tab1");
        var before = await store.GetCountsAsync();
        await store.AddConnectionAsync(user, connection);
        await AdvanceAsync(Ttl / 2);

        Assert.Equal(PresenceChange.None, (await store.AddConnectionAsync(user, connection)).Change);
        await AssertUserAsync(store, user, 1);
        await AssertCountsDeltaAsync(store, before, 1, 1);

        // Past the first lease, inside the refreshed one.
        await AdvanceAsync(Ttl / 2);
        Assert.DoesNotContain(user, await SweepAllAsync(store));
        await AssertUserAsync(store, user, 1);

        await AdvanceAsync(Ttl / 2);
        Assert.Equal([user], (await SweepAllAsync(store)).Where(u => u == user));
    }

    [Fact]
    public async Task RemovingAnUnknownConnection_ReportsNone_AndIsHarmless()
    {
        var store = await NewStoreAsync();
        var online = NewUserId("online");
        var offline = NewUserId("offline");
        await store.AddConnectionAsync(online, NewConnectionId("live"));
        var before = await store.GetCountsAsync();

        Assert.Equal(PresenceChange.None, (await store.RemoveConnectionAsync(online, NewConnectionId("never-added"))).Change);
        Assert.Equal(PresenceChange.None, (await store.RemoveConnectionAsync(offline, NewConnectionId("never-added-either"))).Change);

        await AssertUserAsync(store, online, 1);
        await AssertUserAsync(store, offline, 0);
        await AssertCountsDeltaAsync(store, before, 0, 0);
    }

    [Fact]
    public async Task AConnectionRegisteredToAnotherUser_IsRejected_AndNothingChanges()
    {
        var store = await NewStoreAsync();
        var owner = NewUserId("owner");
        var intruder = NewUserId("intruder");
        var connection = NewConnectionId("shared");
        await store.AddConnectionAsync(owner, connection);
        var before = await store.GetCountsAsync();

        var add = await Assert.ThrowsAsync<ArgumentException>(() => store.AddConnectionAsync(intruder, connection).AsTask());
        var refresh = await Assert.ThrowsAsync<ArgumentException>(() => store.RefreshConnectionAsync(intruder, connection).AsTask());
        var remove = await Assert.ThrowsAsync<ArgumentException>(() => store.RemoveConnectionAsync(intruder, connection).AsTask());

        Assert.All([add, refresh, remove], e => Assert.Equal("connectionId", e.ParamName));
        await AssertUserAsync(store, owner, 1);
        await AssertUserAsync(store, intruder, 0);
        await AssertCountsDeltaAsync(store, before, 0, 0);
        Assert.DoesNotContain(intruder, await store.GetAllOnlineAsync());

        // The owner's connection is intact and still closes normally.
        Assert.Equal(PresenceChange.WentOffline, (await store.RemoveConnectionAsync(owner, connection)).Change);
    }

    [Fact]
    public async Task UsersAreIndependent()
    {
        var store = await NewStoreAsync();
        var alice = NewUserId("alice");
        var bob = NewUserId("bob");

        Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync(alice, NewConnectionId("a"))).Change);
        Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync(bob, NewConnectionId("b"))).Change);
        Assert.Equal(PresenceChange.WentOffline, (await store.RemoveConnectionAsync(alice, NewConnectionId("a"))).Change);

        await AssertUserAsync(store, alice, 0);
        await AssertUserAsync(store, bob, 1);
    }

    [Fact]
    public async Task TwoNodesOfOneBackend_AgreeOnTransitions()
    {
        var nodeA = await NewStoreAsync();
        var nodeB = await NewStoreAsync();
        var user = NewUserId("roaming");

        Assert.Equal(PresenceChange.CameOnline, (await nodeA.AddConnectionAsync(user, NewConnectionId("on-a"))).Change);
        Assert.Equal(PresenceChange.None, (await nodeB.AddConnectionAsync(user, NewConnectionId("on-b"))).Change);
        await AssertUserAsync(nodeB, user, 2);

        // A connection is closed on the node that holds it (SignalR connection ids live on one server).
        Assert.Equal(PresenceChange.None, (await nodeA.RemoveConnectionAsync(user, NewConnectionId("on-a"))).Change);
        await AssertUserAsync(nodeA, user, 1);
        Assert.Equal(PresenceChange.WentOffline, (await nodeB.RemoveConnectionAsync(user, NewConnectionId("on-b"))).Change);
        await AssertUserAsync(nodeA, user, 0);
    }
}
