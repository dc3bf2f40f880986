using Microsoft.Extensions.DependencyInjection;
using Presence.Core.Tests.Support;

namespace Presence.Core.Tests;

public sealed class PresenceTrackerTests
{
    [Fact]
    public async Task Connect_PublishesOneUserOnline_ForTheFirstConnectionOnly()
    {
        await using var context = new PresenceTestContext();
        context.Time.Advance(TimeSpan.FromSeconds(5));
        var at = context.Time.GetUtcNow();

        Assert.Equal(PresenceChange.CameOnline, (await context.Tracker.ConnectAsync("alice", "tab1")).Change);
        context.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PresenceChange.None, (await context.Tracker.ConnectAsync("alice", "tab2")).Change);
        Assert.Equal(PresenceChange.None, (await context.Tracker.ConnectAsync("alice", "tab1")).Change);

        Assert.Equal([new UserOnline("alice", at, 0)], context.Events.Events);
        Assert.True(await context.Tracker.IsOnlineAsync("alice"));
        Assert.Equal(new PresenceCounts(1, 2), await context.Tracker.GetCountsAsync());
    }

    [Fact]
    public async Task Disconnect_PublishesOneUserOffline_WhenTheLastConnectionCloses()
    {
        await using var context = new PresenceTestContext();
        await context.Tracker.ConnectAsync("alice", "tab1");
        await context.Tracker.ConnectAsync("alice", "tab2");
        context.Events.Clear();

        Assert.Equal(PresenceChange.None, (await context.Tracker.DisconnectAsync("alice", "tab1")).Change);
        Assert.Empty(context.Events.Events);
        context.Time.Advance(TimeSpan.FromSeconds(2));
        var at = context.Time.GetUtcNow();
        Assert.Equal(PresenceChange.WentOffline, (await context.Tracker.DisconnectAsync("alice", "tab2")).Change);
        Assert.Equal(PresenceChange.None, (await context.Tracker.DisconnectAsync("alice", "tab2")).Change);
        Assert.Equal(PresenceChange.None, (await context.Tracker.DisconnectAsync("bob", "never-connected")).Change);

        Assert.Equal([new UserOffline("alice", at, OfflineReason.Disconnected, 0)], context.Events.Events);
        Assert.False(await context.Tracker.IsOnlineAsync("alice"));
    }

    [Fact]
    public async Task Ping_OfALiveConnection_PublishesNothing_AndExtendsTheLease()
    {
        await using var context = new PresenceTestContext();
        await context.Tracker.ConnectAsync("alice", "tab");
        context.Events.Clear();

        for (var i = 0; i < 5; i++)
        {
            context.Time.Advance(PresenceTestContext.Ttl - TimeSpan.FromTicks(1));
            Assert.Equal(PresenceChange.None, (await context.Tracker.PingAsync("alice", "tab")).Change);
            Assert.Equal(0, await context.Tracker.SweepAsync());
        }

        Assert.Empty(context.Events.Events);
        Assert.True(await context.Tracker.IsOnlineAsync("alice"));
    }

    [Fact]
    public async Task Ping_OfAnUnknownConnection_ReRegistersIt_AndPublishesUserOnline()
    {
        await using var context = new PresenceTestContext();
        var at = context.Time.GetUtcNow();

        Assert.Equal(PresenceChange.CameOnline, (await context.Tracker.PingAsync("alice", "lost")).Change);

        Assert.Equal([new UserOnline("alice", at, 0)], context.Events.Events);
        Assert.Equal(1, await context.Store.GetConnectionCountAsync("alice"));
    }

    [Fact]
    public async Task Ping_AfterExpiry_BringsTheUserBackOnline_WithOneEventPerTransition()
    {
        await using var context = new PresenceTestContext();
        await context.Tracker.ConnectAsync("alice", "tab");
        context.Time.Advance(PresenceTestContext.Ttl);
        var expiredAt = context.Time.GetUtcNow();
        Assert.Equal(1, await context.Tracker.SweepAsync());
        context.Time.Advance(TimeSpan.FromSeconds(3));
        var backAt = context.Time.GetUtcNow();

        Assert.Equal(PresenceChange.CameOnline, (await context.Tracker.PingAsync("alice", "tab")).Change);

        Assert.Equal(
            [
                new UserOnline("alice", PresenceTestContext.Start, 0),
                new UserOffline("alice", expiredAt, OfflineReason.Expired, 0),
                new UserOnline("alice", backAt, 0),
            ],
            context.Events.Events);
    }

    [Fact]
    public async Task Sweep_PublishesUserOfflineExpired_OncePerUser_AcrossBatches()
    {
        await using var context = new PresenceTestContext(options: o => o.SweepBatchSize = 2);
        var users = Enumerable.Range(0, 5).Select(i => $"user{i}").ToArray();
        foreach (var user in users)
        {
            await context.Tracker.ConnectAsync(user, user + "-a");
            await context.Tracker.ConnectAsync(user, user + "-b");
        }

        await context.Tracker.ConnectAsync("survivor", "late");
        context.Events.Clear();
        context.Time.Advance(PresenceTestContext.Ttl);
        await context.Tracker.PingAsync("survivor", "late");
        var at = context.Time.GetUtcNow();

        Assert.Equal(5, await context.Tracker.SweepAsync());
        Assert.Equal(0, await context.Tracker.SweepAsync());

        var offline = context.Events.Events.Cast<UserOffline>().ToList();
        Assert.Equal(users.Order(), offline.Select(e => e.UserId).Order());
        Assert.All(offline, e => Assert.Equal((at, OfflineReason.Expired), (e.Timestamp, e.Reason)));
        Assert.Equal(new PresenceCounts(1, 1), await context.Tracker.GetCountsAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a\nb")]
    public async Task BadIds_AreRejectedBeforeTheStore_AndPublishNothing(string? bad)
    {
        await using var context = new PresenceTestContext();
        var tracker = context.Tracker;

        await AssertRejected(bad, "userId", () => tracker.ConnectAsync(bad!, "c").AsTask());
        await AssertRejected(bad, "connectionId", () => tracker.ConnectAsync("u", bad!).AsTask());
        await AssertRejected(bad, "userId", () => tracker.DisconnectAsync(bad!, "c").AsTask());
        await AssertRejected(bad, "connectionId", () => tracker.DisconnectAsync("u", bad!).AsTask());
        await AssertRejected(bad, "userId", () => tracker.PingAsync(bad!, "c").AsTask());
        await AssertRejected(bad, "connectionId", () => tracker.PingAsync("u", bad!).AsTask());
        await AssertRejected(bad, "userId", () => tracker.IsOnlineAsync(bad!).AsTask());
        await AssertRejected(bad, "viewerId", () => tracker.GetVisibleOnlineUsersAsync(bad!).AsTask());
        await AssertRejected(bad, "userIds", () => tracker.GetOnlineAsync([bad!]).AsTask());

        Assert.Empty(context.Events.Events);
        Assert.Equal(default, await tracker.GetCountsAsync());
    }

    [Fact]
    public async Task GetOnline_PassesThroughToTheStore()
    {
        await using var context = new PresenceTestContext();
        await context.Tracker.ConnectAsync("b", "b1");
        await context.Tracker.ConnectAsync("a", "a1");

        Assert.Equal(["a", "b"], await context.Tracker.GetOnlineAsync(["x", "a", "b", "a"]));
        await Assert.ThrowsAsync<ArgumentNullException>(() => context.Tracker.GetOnlineAsync(null!).AsTask());
    }

    [Fact]
    public async Task GetVisibleOnlineUsers_WithoutAResolver_IsEmpty_AndWarnsOnce()
    {
        await using var context = new PresenceTestContext();
        await context.Tracker.ConnectAsync("alice", "a");
        await context.Tracker.ConnectAsync("bob", "b");

        Assert.Empty(await context.Tracker.GetVisibleOnlineUsersAsync("alice"));
        Assert.Empty(await context.Tracker.GetVisibleOnlineUsersAsync("bob"));

        var warning = Assert.Single(context.Logs.WithEventId(1003));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("AddInterestResolver", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetVisibleOnlineUsers_WithEveryoneSeesEveryone_ListsEveryOnlineUser()
    {
        await using var context = new PresenceTestContext(b => b.AddEveryoneSeesEveryone());
        await context.Tracker.ConnectAsync("alice", "a");
        await context.Tracker.ConnectAsync("bob", "b");
        await context.Tracker.ConnectAsync("carol", "c");
        await context.Tracker.DisconnectAsync("carol", "c");

        var visible = await context.Tracker.GetVisibleOnlineUsersAsync("alice");

        Assert.Equal(["alice", "bob"], visible.Order());
        Assert.Empty(context.Logs.WithEventId(1003));
    }

    [Fact]
    public async Task GetVisibleOnlineUsers_WithARelationship_ListsOnlyTheOnlineRelatedUsers()
    {
        var partners = new Dictionary<string, string[]>
        {
            ["alice"] = ["carol", "bob", "dave", "carol"],
            ["bob"] = ["alice"],
        };
        await using var context = new PresenceTestContext(b => b.AddInterestResolver(
            (_, user, _) => ValueTask.FromResult<IEnumerable<string>>(partners.GetValueOrDefault(user, []))));
        foreach (var user in new[] { "alice", "bob", "carol", "eve" })
        {
            await context.Tracker.ConnectAsync(user, user + "-1");
        }

        Assert.Equal(["carol", "bob"], await context.Tracker.GetVisibleOnlineUsersAsync("alice"));
        Assert.Equal(["alice"], await context.Tracker.GetVisibleOnlineUsersAsync("bob"));
        Assert.Empty(await context.Tracker.GetVisibleOnlineUsersAsync("eve"));
    }

    [Fact]
    public async Task GetVisibleOnlineUsers_WithVisibilityNobody_IsEmpty()
    {
        await using var context = new PresenceTestContext(b => b.AddInterestResolver(
            (_, _, _) => ValueTask.FromResult(PresenceAudience.Everyone),
            (_, _, _) => ValueTask.FromResult(PresenceVisibility.Nobody)));
        await context.Tracker.ConnectAsync("alice", "a");

        Assert.Empty(await context.Tracker.GetVisibleOnlineUsersAsync("bob"));
    }

    [Fact]
    public async Task AFailingStore_IsLoggedAndRethrown_AndPublishesNothing()
    {
        await using var context = new PresenceTestContext(b => b.AddStore<FailingStore>());

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => context.Tracker.ConnectAsync("alice", "a").AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => context.Tracker.PingAsync("alice", "a").AsTask());

        Assert.Equal(FailingStore.Message, exception.Message);
        Assert.Equal(2, context.Logs.WithEventId(1006).Count);
        Assert.Empty(context.Events.Events);
    }

    [Fact]
    public async Task Ping_ConsumesTheStoresValueTaskOnlyOnce()
    {
        await using var context = new PresenceTestContext(b => b.AddStore<SingleUseValueTaskStore>());
        var store = (SingleUseValueTaskStore)context.Store;

        Assert.Equal(PresenceChange.CameOnline, (await context.Tracker.PingAsync("alice", "a")).Change);
        Assert.Equal(PresenceChange.None, (await context.Tracker.PingAsync("alice", "a")).Change);

        Assert.Equal(2, store.Results);
        Assert.Single(context.Events.Events);
    }

    private static async Task AssertRejected(string? bad, string paramName, Func<Task> call)
    {
        ArgumentException exception = bad is null
            ? await Assert.ThrowsAsync<ArgumentNullException>(call)
            : await Assert.ThrowsAsync<ArgumentException>(call);
        Assert.Equal(paramName, exception.ParamName);
    }
}
