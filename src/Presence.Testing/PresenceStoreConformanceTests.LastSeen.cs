using Xunit;

namespace Presence.Testing;

// Last seen: the time a user went offline, kept for LastSeenRetention, null while online.
public abstract partial class PresenceStoreConformanceTests
{
    [Fact]
    public async Task LastSeen_IsNullWhileOnline_AndTheDisconnectTimeAfterwards()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        await AssertPresenceAsync(store, new UserPresence(user, false, null, null, 0, 0));
        await store.AddConnectionAsync(user, NewConnectionId("tab"));
        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 1, 0));

        await AdvanceAsync(TimeSpan.FromSeconds(42));
        var offlineAt = Time.GetUtcNow();
        await store.RemoveConnectionAsync(user, NewConnectionId("tab"));
        await AdvanceAsync(TimeSpan.FromHours(5));

        await AssertPresenceAsync(store, new UserPresence(user, false, null, offlineAt, 0, 0));
    }

    [Fact]
    public async Task LastSeen_AfterAnExpiry_IsTheLeaseEnd()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var connection = NewConnectionId("tab");
        await store.AddConnectionAsync(user, connection);
        await AdvanceAsync(Ttl / 2);
        var lastPing = Time.GetUtcNow();
        await store.RefreshConnectionAsync(user, connection);
        await AdvanceAsync(Ttl * 3);

        Assert.Equal([new SweptUser(user, OfflineReason.Expired, lastPing + Ttl, 0)], (await SweepAllUsersAsync(store)).Where(u => u.UserId == user));

        await AssertPresenceAsync(store, new UserPresence(user, false, null, lastPing + Ttl, 0, 0));
    }

    [Fact]
    public async Task LastSeen_IsForgottenWhenTheRetentionEnds()
    {
        Options.LastSeenRetention = TimeSpan.FromHours(1);
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var offlineAt = await ConnectThenDisconnectAsync(store, user, NewConnectionId("tab"));

        await AdvanceAsync(Options.LastSeenRetention - TimeResolution);
        await SweepAllAsync(store);
        await AssertPresenceAsync(store, new UserPresence(user, false, null, offlineAt, 0, 0));

        // Hidden from the instant the retention ends, whether or not a sweep pruned it yet.
        await AdvanceAsync(TimeResolution);
        await AssertPresenceAsync(store, new UserPresence(user, false, null, null, 0, 0));
        await SweepAllAsync(store);
        await AssertPresenceAsync(store, new UserPresence(user, false, null, null, 0, 0));
    }

    [Fact]
    public async Task LastSeen_OfALaterOffline_SurvivesTheRetentionOfAnEarlierOne()
    {
        Options.LastSeenRetention = TimeSpan.FromHours(1);
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        await ConnectThenDisconnectAsync(store, user, NewConnectionId("monday"));
        await AdvanceAsync(TimeSpan.FromMinutes(30));
        Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync(user, NewConnectionId("tuesday"))).Change);
        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 1, 0));
        await AdvanceAsync(TimeSpan.FromMinutes(10));
        var secondOffline = Time.GetUtcNow();
        await store.RemoveConnectionAsync(user, NewConnectionId("tuesday"));

        // The first offline's retention ends here; pruning it must not take the newer time with it.
        await AdvanceAsync(TimeSpan.FromMinutes(20));
        await SweepAllAsync(store);

        await AssertPresenceAsync(store, new UserPresence(user, false, null, secondOffline, 0, 0));
        await AdvanceAsync(TimeSpan.FromMinutes(40));
        await SweepAllAsync(store);
        await AssertPresenceAsync(store, new UserPresence(user, false, null, null, 0, 0));
    }

    [Fact]
    public async Task LastSeen_IsSharedByEveryNode()
    {
        var nodeA = await NewStoreAsync();
        var nodeB = await NewStoreAsync();
        var user = NewUserId("alice");
        await nodeA.AddConnectionAsync(user, NewConnectionId("on-a"));
        await AdvanceAsync(TimeSpan.FromMinutes(1));
        var offlineAt = Time.GetUtcNow();
        await nodeA.RemoveConnectionAsync(user, NewConnectionId("on-a"));

        await AssertPresenceAsync(nodeB, new UserPresence(user, false, null, offlineAt, 0, 0));
    }
}
