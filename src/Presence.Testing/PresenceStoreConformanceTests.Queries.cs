using Xunit;

namespace Presence.Testing;

// Read side: batch lookups, the full list and the counters.
public abstract partial class PresenceStoreConformanceTests
{
    [Fact]
    public async Task GetOnline_ReturnsTheOnlineUsers_InFirstOrderOfAppearance_Once()
    {
        var store = await NewStoreAsync();
        var a = NewUserId("a");
        var b = NewUserId("b");
        var c = NewUserId("c");
        var d = NewUserId("d");
        await store.AddConnectionAsync(a, NewConnectionId("a"));
        await store.AddConnectionAsync(c, NewConnectionId("c1"));
        await store.AddConnectionAsync(c, NewConnectionId("c2"));

        var online = await store.GetOnlineAsync([c, b, a, c, d, a]);

        Assert.Equal([c, a], online);
    }

    [Fact]
    public async Task GetOnline_OfNoUsersOrOnlyOfflineUsers_IsEmpty()
    {
        var store = await NewStoreAsync();

        Assert.Empty(await store.GetOnlineAsync([]));
        Assert.Empty(await store.GetOnlineAsync([NewUserId("x"), NewUserId("y"), NewUserId("x")]));
    }

    [Fact]
    public async Task GetOnline_ForgetsUsersWhoWentOffline()
    {
        var store = await NewStoreAsync();
        var gone = NewUserId("gone");
        var expired = NewUserId("expired");
        var stays = NewUserId("stays");
        await store.AddConnectionAsync(gone, NewConnectionId("g"));
        await store.AddConnectionAsync(expired, NewConnectionId("e"));
        await AdvanceAsync(Ttl / 2);
        await store.AddConnectionAsync(stays, NewConnectionId("s"));
        await store.RemoveConnectionAsync(gone, NewConnectionId("g"));
        await AdvanceAsync(Ttl / 2);
        await SweepAllAsync(store);

        Assert.Equal([stays], await store.GetOnlineAsync([gone, expired, stays]));
    }

    [Fact]
    public async Task GetAllOnline_ListsEachOnlineUserOnce_AndNoOfflineUser()
    {
        var store = await NewStoreAsync();
        var alice = NewUserId("alice");
        var bob = NewUserId("bob");
        var carol = NewUserId("carol");
        await store.AddConnectionAsync(alice, NewConnectionId("a1"));
        await store.AddConnectionAsync(alice, NewConnectionId("a2"));
        await store.AddConnectionAsync(bob, NewConnectionId("b1"));
        await store.AddConnectionAsync(carol, NewConnectionId("c1"));
        await store.RemoveConnectionAsync(carol, NewConnectionId("c1"));

        var all = await store.GetAllOnlineAsync();

        Assert.Single(all, alice);
        Assert.Single(all, bob);
        Assert.DoesNotContain(carol, all);
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task GetConnectionCount_OfAnUnknownUser_IsZero()
    {
        var store = await NewStoreAsync();

        Assert.Equal(0, await store.GetConnectionCountAsync(NewUserId("nobody")));
        Assert.False(await store.IsOnlineAsync(NewUserId("nobody")));
    }

    [Fact]
    public async Task GetCounts_FollowsEveryChange()
    {
        var store = await NewStoreAsync();
        var alice = NewUserId("alice");
        var bob = NewUserId("bob");
        var before = await store.GetCountsAsync();

        await store.AddConnectionAsync(alice, NewConnectionId("a1"));
        await AssertCountsDeltaAsync(store, before, 1, 1);
        await store.AddConnectionAsync(alice, NewConnectionId("a2"));
        await AssertCountsDeltaAsync(store, before, 1, 2);
        await store.AddConnectionAsync(alice, NewConnectionId("a2"));
        await AssertCountsDeltaAsync(store, before, 1, 2);
        await store.RefreshConnectionAsync(bob, NewConnectionId("b1"));
        await AssertCountsDeltaAsync(store, before, 2, 3);
        await store.RemoveConnectionAsync(alice, NewConnectionId("a1"));
        await AssertCountsDeltaAsync(store, before, 2, 2);
        await store.RemoveConnectionAsync(alice, NewConnectionId("a1"));
        await AssertCountsDeltaAsync(store, before, 2, 2);
        await AdvanceAsync(Ttl);
        await SweepAllAsync(store);
        await AssertCountsDeltaAsync(store, before, 0, 0);
    }
}
