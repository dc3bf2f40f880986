using Xunit;

namespace Presence.Testing;

// Statuses: set by an online user, kept while online (across a grace-period reconnect), cleared offline.
public abstract partial class PresenceStoreConformanceTests
{
    /// <summary>The kinds of invalid status every store must reject (names, so test names stay printable).</summary>
    public static TheoryData<string> InvalidStatusKinds { get; } =
    [
        "null", "empty", "spaces", "unicode-spaces", "too-long", "nul", "newline", "tab", "delete", "next-line",
    ];

    /// <summary>Builds an invalid status of the given kind.</summary>
    /// <param name="kind">One of <see cref="InvalidStatusKinds"/>.</param>
    /// <returns>The status.</returns>
    protected static string? InvalidStatus(string kind) => kind switch
    {
        "too-long" => new string('s', PresenceStatus.MaxLength + 1),
        _ => InvalidId(kind),
    };

    [Fact]
    public async Task SetStatus_OfAnOnlineUser_ReportsEachChangeOnce_AndIsReadBack()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        await store.AddConnectionAsync(user, NewConnectionId("tab"));

        // No status yet counts as available: setting it changes nothing.
        Assert.NotEqual(StatusChange.Changed, (await store.SetStatusAsync(user, PresenceStatus.Available)).Change);
        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 1, 0));

        Assert.Equal(StatusChange.Changed, (await store.SetStatusAsync(user, PresenceStatus.Away)).Change);
        Assert.NotEqual(StatusChange.Changed, (await store.SetStatusAsync(user, PresenceStatus.Away)).Change);
        await AssertPresenceAsync(store, new UserPresence(user, true, PresenceStatus.Away, null, 1, 0));

        Assert.Equal(StatusChange.Changed, (await store.SetStatusAsync(user, PresenceStatus.Busy)).Change);
        await AssertPresenceAsync(store, new UserPresence(user, true, PresenceStatus.Busy, null, 1, 0));

        Assert.Equal(StatusChange.Changed, (await store.SetStatusAsync(user, PresenceStatus.Available)).Change);
        Assert.NotEqual(StatusChange.Changed, (await store.SetStatusAsync(user, PresenceStatus.Available)).Change);
        var presence = Assert.Single(await store.GetPresenceAsync([user]));
        Assert.Null(presence.Status); // "available" is stored as the absence of a status, on every store
    }

    [Fact]
    public async Task SetStatus_AcceptsCustomStatusesUpToTheMaximumLength_Verbatim()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        await store.AddConnectionAsync(user, NewConnectionId("tab"));
        var longest = "In a meeting until 3 pm — ping me on urgent things only ✈ ünïcödé".PadRight(PresenceStatus.MaxLength, '.')[..PresenceStatus.MaxLength];

        Assert.Equal(StatusChange.Changed, (await store.SetStatusAsync(user, "Away")).Change);
        Assert.Equal("Away", Assert.Single(await store.GetPresenceAsync([user])).Status);
        Assert.Equal(StatusChange.Changed, (await store.SetStatusAsync(user, longest)).Change);
        Assert.Equal(longest, Assert.Single(await store.GetPresenceAsync([user])).Status);
        Assert.Equal(StatusChange.Changed, (await store.SetStatusAsync(user, "{x}:*\n".Trim())).Change);
        Assert.Equal("{x}:*", Assert.Single(await store.GetPresenceAsync([user])).Status);
    }

    [Fact]
    public async Task SetStatus_OfAnOfflineUser_ReportsFalse_AndStoresNothing()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var before = await store.GetCountsAsync();

        Assert.NotEqual(StatusChange.Changed, (await store.SetStatusAsync(user, PresenceStatus.Busy)).Change);

        await AssertPresenceAsync(store, new UserPresence(user, false, null, null, 0, 0));
        await AssertCountsDeltaAsync(store, before, 0, 0);
        Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync(user, NewConnectionId("tab"))).Change);
        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 1, 0));
    }

    [Fact]
    public async Task AStatus_OutlivesOneOfTwoConnections_AndIsClearedWhenTheUserGoesOffline()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        await store.AddConnectionAsync(user, NewConnectionId("a1"));
        await store.AddConnectionAsync(user, NewConnectionId("a2"));
        await store.SetStatusAsync(user, PresenceStatus.Busy);

        await store.RemoveConnectionAsync(user, NewConnectionId("a1"));
        await AssertPresenceAsync(store, new UserPresence(user, true, PresenceStatus.Busy, null, 1, 0));
        var offlineAt = Time.GetUtcNow();
        Assert.Equal(PresenceChange.WentOffline, (await store.RemoveConnectionAsync(user, NewConnectionId("a2"))).Change);
        await AssertPresenceAsync(store, new UserPresence(user, false, null, offlineAt, 0, 0));

        Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync(user, NewConnectionId("a3"))).Change);
        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 1, 0));
    }

    [Fact]
    public async Task AStatus_IsClearedWhenTheUserExpires()
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        var connection = NewConnectionId("lid");
        await store.AddConnectionAsync(user, connection);
        await store.SetStatusAsync(user, PresenceStatus.Away);
        await AdvanceAsync(Ttl);
        Assert.Contains(user, await SweepAllAsync(store));

        Assert.Equal(PresenceChange.CameOnline, (await store.RefreshConnectionAsync(user, connection)).Change);

        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 1, 0));
    }

    [Fact]
    public async Task WithGrace_AStatusIsKeptAcrossAReconnect_ButCannotBeSetWithoutALiveConnection()
    {
        var store = await NewGraceStoreAsync();
        var user = NewUserId("alice");
        await store.AddConnectionAsync(user, NewConnectionId("before-reload"));
        await store.SetStatusAsync(user, PresenceStatus.Busy);
        await store.RemoveConnectionAsync(user, NewConnectionId("before-reload"));

        await AssertPresenceAsync(store, new UserPresence(user, true, PresenceStatus.Busy, null, 0, 0));
        Assert.NotEqual(StatusChange.Changed, (await store.SetStatusAsync(user, PresenceStatus.Away)).Change);
        await AdvanceAsync(Grace - TimeResolution);
        Assert.Equal(PresenceChange.None, (await store.AddConnectionAsync(user, NewConnectionId("after-reload"))).Change);
        await AssertPresenceAsync(store, new UserPresence(user, true, PresenceStatus.Busy, null, 1, 0));

        var disconnectedAt = Time.GetUtcNow();
        await store.RemoveConnectionAsync(user, NewConnectionId("after-reload"));
        await AdvanceAsync(Grace);
        Assert.Contains(user, await SweepAllAsync(store));
        await AssertPresenceAsync(store, new UserPresence(user, false, null, disconnectedAt, 0, 0));
        await store.AddConnectionAsync(user, NewConnectionId("next-day"));
        await AssertPresenceAsync(store, new UserPresence(user, true, null, null, 1, 0));
    }

    [Fact]
    public async Task AStatusSetOnOneNode_IsSeenOnAnother()
    {
        var nodeA = await NewStoreAsync();
        var nodeB = await NewStoreAsync();
        var user = NewUserId("alice");
        await nodeA.AddConnectionAsync(user, NewConnectionId("on-a"));

        Assert.Equal(StatusChange.Changed, (await nodeB.SetStatusAsync(user, PresenceStatus.Away)).Change);

        Assert.NotEqual(StatusChange.Changed, (await nodeA.SetStatusAsync(user, PresenceStatus.Away)).Change);
        await AssertPresenceAsync(nodeA, new UserPresence(user, true, PresenceStatus.Away, null, 1, 0));
    }

    [Theory]
    [MemberData(nameof(InvalidStatusKinds))]
    public async Task AnInvalidStatus_IsRejected_AndTheStatusIsUnchanged(string kind)
    {
        var store = await NewStoreAsync();
        var user = NewUserId("alice");
        await store.AddConnectionAsync(user, NewConnectionId("tab"));
        await store.SetStatusAsync(user, PresenceStatus.Busy);

        await AssertRejectedAsync(kind, "status", () => store.SetStatusAsync(user, InvalidStatus(kind)!).AsTask());
        await AssertRejectedAsync(kind, "status", () => store.SetStatusAsync(NewUserId("offline"), InvalidStatus(kind)!).AsTask());

        await AssertPresenceAsync(store, new UserPresence(user, true, PresenceStatus.Busy, null, 1, 0));
    }

    [Theory]
    [MemberData(nameof(InvalidIdKinds))]
    public async Task SetStatus_OfAnInvalidUserId_IsRejected(string kind)
    {
        var store = await NewStoreAsync();
        var before = await store.GetCountsAsync();

        await AssertRejectedAsync(kind, "userId", () => store.SetStatusAsync(InvalidId(kind)!, PresenceStatus.Away).AsTask());

        await AssertCountsDeltaAsync(store, before, 0, 0);
    }
}
