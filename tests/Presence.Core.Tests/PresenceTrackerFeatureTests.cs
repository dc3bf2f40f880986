using Microsoft.Extensions.DependencyInjection;
using Presence.Core.Tests.Support;

namespace Presence.Core.Tests;

/// <summary>The tracker's statuses, last seen, batch presence reads and grace periods (issue 7).</summary>
public sealed class PresenceTrackerFeatureTests
{
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task SetStatus_PublishesUserStatusChanged_OncePerChange()
    {
        await using var context = new PresenceTestContext();
        await context.Tracker.ConnectAsync("alice", "tab");
        context.Events.Clear();
        context.Time.Advance(TimeSpan.FromSeconds(3));
        var awayAt = context.Time.GetUtcNow();

        Assert.NotEqual(StatusChange.Changed, (await context.Tracker.SetStatusAsync("alice", PresenceStatus.Available)).Change);
        Assert.Equal(StatusChange.Changed, (await context.Tracker.SetStatusAsync("alice", PresenceStatus.Away)).Change);
        Assert.NotEqual(StatusChange.Changed, (await context.Tracker.SetStatusAsync("alice", PresenceStatus.Away)).Change);
        context.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(StatusChange.Changed, (await context.Tracker.SetStatusAsync("alice", "lunch")).Change);

        Assert.Equal(
            [new UserStatusChanged("alice", awayAt, PresenceStatus.Away, 0), new UserStatusChanged("alice", awayAt + TimeSpan.FromSeconds(1), "lunch", 0)],
            context.Events.Events);
    }

    [Fact]
    public async Task SetStatus_OfAnOfflineUser_PublishesNothing()
    {
        await using var context = new PresenceTestContext();

        Assert.NotEqual(StatusChange.Changed, (await context.Tracker.SetStatusAsync("ghost", PresenceStatus.Busy)).Change);

        Assert.Empty(context.Events.Events);
        Assert.Equal([new UserPresence("ghost", false, null, null, 0, 0)], await context.Tracker.GetPresenceAsync(["ghost"]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("away\n")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public async Task SetStatus_WithAnInvalidStatus_Throws_AndPublishesNothing(string? bad)
    {
        await using var context = new PresenceTestContext();
        await context.Tracker.ConnectAsync("alice", "tab");
        await context.Tracker.SetStatusAsync("alice", PresenceStatus.Busy);
        context.Events.Clear();

        var exception = await Assert.ThrowsAnyAsync<ArgumentException>(() => context.Tracker.SetStatusAsync("alice", bad!).AsTask());

        Assert.Equal("status", exception.ParamName);
        Assert.Equal(bad is null, exception is ArgumentNullException);
        Assert.Empty(context.Events.Events);
        Assert.Equal(PresenceStatus.Busy, Assert.Single(await context.Tracker.GetPresenceAsync(["alice"])).Status);
    }

    [Fact]
    public async Task GetLastSeen_MapsEachDistinctUser_ToWhenTheyWentOffline()
    {
        await using var context = new PresenceTestContext();
        await context.Tracker.ConnectAsync("alice", "a");
        await context.Tracker.ConnectAsync("bob", "b");
        context.Time.Advance(TimeSpan.FromMinutes(2));
        var bobLeft = context.Time.GetUtcNow();
        await context.Tracker.DisconnectAsync("bob", "b");

        var lastSeen = await context.Tracker.GetLastSeenAsync(["bob", "alice", "nobody", "bob"]);

        Assert.Equal(3, lastSeen.Count);
        Assert.Equal(bobLeft, lastSeen["bob"]);
        Assert.Null(lastSeen["alice"]);
        Assert.Null(lastSeen["nobody"]);
        await Assert.ThrowsAsync<ArgumentNullException>(() => context.Tracker.GetLastSeenAsync(null!).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => context.Tracker.GetLastSeenAsync(["a\nb"]).AsTask());
    }

    [Fact]
    public async Task GetPresence_PassesThroughToTheStore()
    {
        await using var context = new PresenceTestContext();
        await context.Tracker.ConnectAsync("alice", "a1");
        await context.Tracker.ConnectAsync("alice", "a2");
        await context.Tracker.SetStatusAsync("alice", PresenceStatus.Busy);

        Assert.Equal(
            [new UserPresence("nobody", false, null, null, 0, 0), new UserPresence("alice", true, PresenceStatus.Busy, null, 2, 0)],
            (await context.Tracker.GetPresenceAsync(["nobody", "alice", "nobody"])).Select(static p => p with { Version = 0 }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => context.Tracker.GetPresenceAsync(null!).AsTask());
    }

    [Fact]
    public async Task GetVisiblePresence_ListsTheOnlineVisibleUsers_WithTheirStatuses()
    {
        var partners = new Dictionary<string, string[]> { ["alice"] = ["carol", "bob", "dave", "carol"] };
        await using var context = new PresenceTestContext(b => b.AddInterestResolver(
            (_, user, _) => ValueTask.FromResult<IEnumerable<string>>(partners.GetValueOrDefault(user, []))));
        foreach (var user in new[] { "alice", "bob", "carol", "eve" })
        {
            await context.Tracker.ConnectAsync(user, user + "-1");
        }

        await context.Tracker.ConnectAsync("carol", "carol-2");
        await context.Tracker.SetStatusAsync("carol", PresenceStatus.Away);
        await context.Tracker.SetStatusAsync("eve", PresenceStatus.Busy);

        Assert.Equal(
            [new UserPresence("carol", true, PresenceStatus.Away, null, 2, 0), new UserPresence("bob", true, null, null, 1, 0)],
            (await context.Tracker.GetVisiblePresenceAsync("alice")).Select(static p => p with { Version = 0 }));
        Assert.Empty(await context.Tracker.GetVisiblePresenceAsync("eve"));
        await Assert.ThrowsAsync<ArgumentException>(() => context.Tracker.GetVisiblePresenceAsync(" ").AsTask());
    }

    [Fact]
    public async Task GetVisiblePresence_WithEveryoneSeesEveryone_ListsEveryOnlineUser()
    {
        await using var context = new PresenceTestContext(b => b.AddEveryoneSeesEveryone());
        await context.Tracker.ConnectAsync("alice", "a");
        await context.Tracker.ConnectAsync("bob", "b");
        await context.Tracker.SetStatusAsync("bob", PresenceStatus.Busy);
        await context.Tracker.ConnectAsync("carol", "c");
        await context.Tracker.DisconnectAsync("carol", "c");

        var visible = await context.Tracker.GetVisiblePresenceAsync("alice");

        Assert.Equal(
            [new UserPresence("alice", true, null, null, 1, 0), new UserPresence("bob", true, PresenceStatus.Busy, null, 1, 0)],
            visible.Select(static p => p with { Version = 0 }).OrderBy(p => p.UserId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetVisiblePresence_WithVisibilityNobody_IsEmpty()
    {
        await using var context = new PresenceTestContext(b => b.AddInterestResolver(
            (_, _, _) => ValueTask.FromResult(PresenceAudience.Everyone),
            (_, _, _) => ValueTask.FromResult(PresenceVisibility.Nobody)));
        await context.Tracker.ConnectAsync("alice", "a");

        Assert.Empty(await context.Tracker.GetVisiblePresenceAsync("bob"));
    }

    [Fact]
    public async Task WithGrace_ADisconnectPublishesNothing_AndTheSweepPublishesUserOfflineStampedWithTheDisconnect()
    {
        await using var context = new PresenceTestContext(options: o => o.OfflineGracePeriod = s_grace);
        await context.Tracker.ConnectAsync("alice", "tab");
        await context.Tracker.SetStatusAsync("alice", PresenceStatus.Away);
        context.Events.Clear();
        context.Time.Advance(TimeSpan.FromSeconds(1));
        var disconnectedAt = context.Time.GetUtcNow();

        Assert.Equal(PresenceChange.None, (await context.Tracker.DisconnectAsync("alice", "tab")).Change);
        context.Time.Advance(s_grace - TimeSpan.FromTicks(1));
        Assert.Equal(0, await context.Tracker.SweepAsync());
        Assert.Empty(context.Events.Events);
        Assert.True(await context.Tracker.IsOnlineAsync("alice"));

        // The sweeper runs a while after the grace period ended; the event still says when she left.
        context.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await context.Tracker.SweepAsync());

        Assert.Equal([new UserOffline("alice", disconnectedAt, OfflineReason.Disconnected, 0)], context.Events.Events);
        Assert.Equal(new Dictionary<string, DateTimeOffset?> { ["alice"] = disconnectedAt }, await context.Tracker.GetLastSeenAsync(["alice"]));
        Assert.Equal(default, await context.Tracker.GetCountsAsync());
    }

    [Fact]
    public async Task WithGrace_APageReload_PublishesNothingAtAll()
    {
        await using var context = new PresenceTestContext(options: o => o.OfflineGracePeriod = s_grace);
        await context.Tracker.ConnectAsync("alice", "before-reload");
        context.Events.Clear();

        await context.Tracker.DisconnectAsync("alice", "before-reload");
        context.Time.Advance(s_grace - TimeSpan.FromTicks(1));
        Assert.Equal(PresenceChange.None, (await context.Tracker.ConnectAsync("alice", "after-reload")).Change);
        context.Time.Advance(s_grace);
        Assert.Equal(0, await context.Tracker.SweepAsync());

        Assert.Empty(context.Events.Events);
        Assert.Equal(new PresenceCounts(1, 1), await context.Tracker.GetCountsAsync());
    }

    [Fact]
    public async Task Sweep_PublishesTheLeaseEnd_NotTheSweepTime()
    {
        await using var context = new PresenceTestContext();
        await context.Tracker.ConnectAsync("alice", "tab");
        context.Time.Advance(TimeSpan.FromSeconds(4));
        var lastPing = context.Time.GetUtcNow();
        await context.Tracker.PingAsync("alice", "tab");
        context.Events.Clear();

        context.Time.Advance(PresenceTestContext.Ttl * 3);
        Assert.Equal(1, await context.Tracker.SweepAsync());

        Assert.Equal([new UserOffline("alice", lastPing + PresenceTestContext.Ttl, OfflineReason.Expired, 0)], context.Events.Events);
    }
}
