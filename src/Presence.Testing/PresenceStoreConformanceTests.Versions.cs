using Xunit;

namespace Presence.Testing;

// Every change of a user's presence is a versioned fact decided by the store, at the store's time.
public abstract partial class PresenceStoreConformanceTests
{
    [Fact]
    public async Task EveryTransition_CarriesAHigherVersion_AndTheStoresTime()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");

        var online = await store.AddConnectionAsync(user, NewConnectionId("tab"));
        AssertDecidedNow(online.Timestamp);
        var second = await store.AddConnectionAsync(user, NewConnectionId("tab2"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        var status = await store.SetStatusAsync(user, PresenceStatus.Away);
        AssertDecidedNow(status.Timestamp);
        await store.RemoveConnectionAsync(user, NewConnectionId("tab2"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        var offline = await store.RemoveConnectionAsync(user, NewConnectionId("tab"));
        AssertDecidedNow(offline.Timestamp);
        var back = await store.AddConnectionAsync(user, NewConnectionId("tab3"));

        Assert.Equal(PresenceTransition.None, second);
        Assert.Equal(StatusChange.Changed, status.Change);
        Assert.Equal(PresenceChange.WentOffline, offline.Change);
        Assert.Equal(PresenceChange.CameOnline, back.Change);
        Assert.True(online.Version > 0);
        Assert.True(status.Version > online.Version);
        Assert.True(offline.Version > status.Version);
        Assert.True(back.Version > offline.Version, "The next online must be newer than the last offline: the version outlives the user going offline.");
        Assert.Equal(back.Version, await store.GetVersionAsync(user));
    }

    [Fact]
    public async Task ChangesThatChangeNothing_CarryNoVersion_AndKeepTheUsersVersion()
    {
        var store = await NewGraceStoreAsync();
        var user = NewUserId("alice");
        var online = await store.AddConnectionAsync(user, NewConnectionId("tab"));

        Assert.Equal(StatusTransition.Unchanged, await store.SetStatusAsync(user, PresenceStatus.Available));
        Assert.Equal(PresenceTransition.None, await store.RefreshConnectionAsync(user, NewConnectionId("tab")));
        Assert.Equal(PresenceTransition.None, await store.RemoveConnectionAsync(user, NewConnectionId("never")));

        // Inside the grace period the user is online but has no connection that could set a status.
        Assert.Equal(PresenceTransition.None, await store.RemoveConnectionAsync(user, NewConnectionId("tab")));
        Assert.Equal(StatusTransition.NotOnline, await store.SetStatusAsync(user, PresenceStatus.Busy));
        Assert.Equal(StatusTransition.NotOnline, await store.SetStatusAsync(NewUserId("stranger"), PresenceStatus.Busy));
        Assert.Equal(online.Version, await store.GetVersionAsync(user));
        Assert.Equal(0, await store.GetVersionAsync(NewUserId("stranger")));
    }

    [Fact]
    public async Task SweptUsers_GetAVersionAboveTheirOnline()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var online = await store.AddConnectionAsync(user, NewConnectionId("tab"));
        await AdvanceAsync(Ttl);

        var swept = await SweepRawAsync(store, user);

        Assert.Equal(OfflineReason.Expired, swept.Reason);
        Assert.True(swept.Version > online.Version);
        Assert.Equal(swept.Version, await store.GetVersionAsync(user));
        var back = await store.RefreshConnectionAsync(user, NewConnectionId("tab"));
        Assert.Equal(PresenceChange.CameOnline, back.Change);
        Assert.True(back.Version > swept.Version);
    }

    [Fact]
    public async Task AStatusSetAfterTheLeaseEnded_IsNotFollowedByAnOfflineStampedEarlier()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        await store.AddConnectionAsync(user, NewConnectionId("tab"));
        await AdvanceAsync(Ttl + TimeSpan.FromSeconds(5));

        // The lease ran out, but no sweep has removed it yet: the store still counts the connection.
        var status = await store.SetStatusAsync(user, PresenceStatus.Away);
        var swept = await SweepRawAsync(store, user);

        if (status.Change == StatusChange.Changed)
        {
            Assert.True(swept.Version > status.Version);
            Assert.True(swept.Timestamp >= status.Timestamp, $"Offline at {swept.Timestamp:O}, after a status decided at {status.Timestamp:O}.");
        }
    }

    [Fact]
    public async Task AnEndedGracePeriod_GetsAVersionAboveTheOnline()
    {
        var store = await NewGraceStoreAsync();
        var user = NewUserId("alice");
        var online = await store.AddConnectionAsync(user, NewConnectionId("tab"));
        await store.RemoveConnectionAsync(user, NewConnectionId("tab"));
        await AdvanceAsync(Grace);

        var swept = await SweepRawAsync(store, user);

        Assert.Equal(OfflineReason.Disconnected, swept.Reason);
        Assert.True(swept.Version > online.Version);
    }

    [Fact]
    public async Task AForgottenUser_StillComesBackWithAHigherVersion()
    {
        Options.LastSeenRetention = TimeSpan.FromMinutes(5);
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        await store.AddConnectionAsync(user, NewConnectionId("tab"));
        var offline = await store.RemoveConnectionAsync(user, NewConnectionId("tab"));
        await AdvanceAsync(Options.LastSeenRetention + TimeSpan.FromSeconds(1));
        await SweepAllAsync(store);

        var back = await store.AddConnectionAsync(user, NewConnectionId("tab2"));

        Assert.True(back.Version > offline.Version, $"Version {back.Version} after the user was forgotten, {offline.Version} before.");
    }

    [Fact]
    public async Task Presence_ReportsEachUsersCurrentVersion()
    {
        var store = await NewStoreAsync();
        var (alice, bob) = (NewUserId("alice"), NewUserId("bob"));
        var aliceOnline = await store.AddConnectionAsync(alice, NewConnectionId("a"));
        await store.AddConnectionAsync(bob, NewConnectionId("b"));
        var bobOffline = await store.RemoveConnectionAsync(bob, NewConnectionId("b"));

        var presence = await store.GetPresenceAsync([alice, bob, NewUserId("nobody")]);

        Assert.Equal([aliceOnline.Version, bobOffline.Version, 0], presence.Select(static p => p.Version));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(2_026_12_01)]
    public async Task RacingNodes_NeverReuseOrReorderAUsersVersions(int seed)
    {
        var nodes = new[] { await NewStoreAsync(), await NewStoreAsync() };
        var users = Enumerable.Range(0, 3).Select(i => NewUserId($"race{i}")).ToArray();
        var history = new System.Collections.Concurrent.ConcurrentBag<(string User, PresenceTransition Transition)>();
        var threads = Math.Max(2, ConcurrencyThreadCount);
        var operations = Math.Max(50, ConcurrencyOperationCount / threads / 4);

        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            var random = new Random(unchecked(seed + (t * 7_919)));
            var node = nodes[t % nodes.Length];
            for (var i = 0; i < operations; i++)
            {
                var user = users[random.Next(users.Length)];
                var connection = NewConnectionId($"race-{t}-{user}-{random.Next(2)}");
                var transition = random.Next(2) == 0
                    ? await node.AddConnectionAsync(user, connection)
                    : await node.RemoveConnectionAsync(user, connection);
                if (transition.Change != PresenceChange.None)
                {
                    history.Add((user, transition));
                }
            }
        })));

        foreach (var user in users)
        {
            var ordered = history.Where(h => h.User == user).Select(static h => h.Transition).OrderBy(static t => t.Version).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                Assert.Equal(i % 2 == 0 ? PresenceChange.CameOnline : PresenceChange.WentOffline, ordered[i].Change);
                if (i > 0)
                {
                    Assert.True(ordered[i].Version > ordered[i - 1].Version, $"(seed {seed}) {user}: version {ordered[i].Version} reported twice.");
                    Assert.True(ordered[i].Timestamp >= ordered[i - 1].Timestamp, $"(seed {seed}) {user}: decision times go backwards at version {ordered[i].Version}.");
                }
            }

            if (ordered.Count > 0)
            {
                Assert.Equal(ordered[^1].Version, await nodes[0].GetVersionAsync(user));
            }
        }
    }

    private void AssertDecidedNow(DateTimeOffset timestamp) =>
        Assert.True(
            (timestamp - Time.GetUtcNow()).Duration() <= TimeResolution,
            $"Decided at {timestamp:O}, but the store's clock says {Time.GetUtcNow():O}.");

    private static async Task<SweptUser> SweepRawAsync(IPresenceStore store, string userId)
    {
        var found = new List<SweptUser>();
        SweepResult result;
        do
        {
            result = await store.SweepExpiredAsync(1000);
            found.AddRange(result.Users.Where(u => u.UserId == userId));
        }
        while (result.HasMore);

        return Assert.Single(found);
    }
}
