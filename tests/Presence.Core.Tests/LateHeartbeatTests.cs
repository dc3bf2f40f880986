using Microsoft.Extensions.DependencyInjection;
using Presence.Core.Tests.Support;

namespace Presence.Core.Tests;

// SignalR runs OnDisconnectedAsync without waiting for a hub call still running: a ping in flight
// when the tab closes must not register the closed connection again.
public sealed class LateHeartbeatTests
{
    [Fact]
    public async Task APingInFlightWhenTheConnectionCloses_DoesNotBringItBack()
    {
        await using var context = new PresenceTestContext(b => b.AddStore<HeldHeartbeatStore>());
        var store = (HeldHeartbeatStore)context.Store;
        await context.Tracker.ConnectAsync("alice", "tab");

        var ping = context.Tracker.PingAsync("alice", "tab").AsTask();
        await store.HeartbeatHeld;
        var disconnect = context.Tracker.DisconnectAsync("alice", "tab").AsTask();

        // The disconnect waits for the heartbeat; once that is through, the connection goes.
        Assert.False(disconnect.IsCompleted);
        store.Release();
        await ping.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(PresenceChange.WentOffline, (await disconnect.WaitAsync(TimeSpan.FromSeconds(30))).Change);

        Assert.False(await context.Tracker.IsOnlineAsync("alice"));
        Assert.Equal(default, await context.Tracker.GetCountsAsync());
        Assert.Equal(
            [new UserOnline("alice", PresenceTestContext.Start, 0), new UserOffline("alice", PresenceTestContext.Start, OfflineReason.Disconnected, 0)],
            context.Events.Events);
    }

    [Fact]
    public async Task APingInFlight_ThatRegistersTheClosingConnectionAgain_AnnouncesNothing()
    {
        await using var context = new PresenceTestContext(b => b.AddStore<HeldHeartbeatStore>());
        var store = (HeldHeartbeatStore)context.Store;
        await context.Tracker.ConnectAsync("alice", "tab");
        await store.RemoveConnectionAsync("alice", "tab"); // the store lost it (it expired during a stall)
        context.Events.Clear();

        var ping = context.Tracker.PingAsync("alice", "tab").AsTask();
        await store.HeartbeatHeld;
        var disconnect = context.Tracker.DisconnectAsync("alice", "tab").AsTask();
        store.Release();

        Assert.Equal(PresenceChange.CameOnline, (await ping.WaitAsync(TimeSpan.FromSeconds(30))).Change);
        Assert.Equal(PresenceChange.WentOffline, (await disconnect.WaitAsync(TimeSpan.FromSeconds(30))).Change);
        Assert.False(await context.Tracker.IsOnlineAsync("alice"));
        Assert.Empty(context.Events.Events); // no online for a closed tab, so no offline either
    }

    [Fact]
    public async Task AHeldOnline_IsAnnounced_WhenAnotherConnectionKeepsTheUserOnline()
    {
        await using var context = new PresenceTestContext(b => b.AddStore<HeldHeartbeatStore>());
        var store = (HeldHeartbeatStore)context.Store;
        await context.Tracker.ConnectAsync("alice", "tab");
        await store.RemoveConnectionAsync("alice", "tab");
        context.Events.Clear();

        var ping = context.Tracker.PingAsync("alice", "tab").AsTask();
        await store.HeartbeatHeld;
        store.HoldRemovals = true;
        var disconnect = context.Tracker.DisconnectAsync("alice", "tab").AsTask();
        store.Release();
        var online = await ping.WaitAsync(TimeSpan.FromSeconds(30));

        // A second tab (another node, say) arrives before the close reaches the store.
        await store.AddConnectionAsync("alice", "phone");
        store.ReleaseRemovals();
        await disconnect.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(await context.Tracker.IsOnlineAsync("alice"));
        var announced = Assert.Single(context.Events.VersionedEvents);
        Assert.Equal(new UserOnline("alice", online.Timestamp, online.Version), announced);
    }

    [Fact]
    public async Task APingThatReachesTheTrackerAfterTheClose_IsDropped()
    {
        await using var context = new PresenceTestContext();
        await context.Tracker.ConnectAsync("alice", "tab");
        await context.Tracker.DisconnectAsync("alice", "tab");

        Assert.Equal(PresenceTransition.None, await context.Tracker.PingAsync("alice", "tab"));

        Assert.False(await context.Tracker.IsOnlineAsync("alice"));
        Assert.Equal(default, await context.Tracker.GetCountsAsync());
        Assert.Equal(2, context.Events.Events.Count);
    }

    [Fact]
    public async Task AConnectionIdUsedAgainAfterItsClose_PingsNormally()
    {
        await using var context = new PresenceTestContext();
        await context.Tracker.ConnectAsync("alice", "tab");
        await context.Tracker.DisconnectAsync("alice", "tab");
        await context.Tracker.ConnectAsync("alice", "tab");
        await context.Store.RemoveConnectionAsync("alice", "tab"); // the store lost it

        Assert.Equal(PresenceChange.CameOnline, (await context.Tracker.PingAsync("alice", "tab")).Change);
    }

    [Fact]
    public async Task APingOfAConnectionThisNodeNeverSaw_StillReRegistersIt()
    {
        await using var context = new PresenceTestContext();

        Assert.Equal(PresenceChange.CameOnline, (await context.Tracker.PingAsync("alice", "elsewhere")).Change);
        Assert.True(await context.Tracker.IsOnlineAsync("alice"));
    }
}
