using Microsoft.Extensions.DependencyInjection;
using Presence.Core.Tests.Support;

namespace Presence.Core.Tests;

public sealed class PresenceShutdownTests
{
    [Fact]
    public async Task ACleanStop_ReportsThisNodesUsersDisconnected_AtOnce()
    {
        await using var host = await SweeperHost.StartAsync();
        await host.Tracker.ConnectAsync("alice", "a1");
        await host.Tracker.ConnectAsync("alice", "a2");
        await host.Tracker.ConnectAsync("bob", "b1");
        await host.Tracker.DisconnectAsync("bob", "b1");
        var stoppedAt = host.Time.GetUtcNow();

        await host.Host.StopAsync();

        var offline = host.Events.Events.OfType<UserOffline>().ToList();
        var alice = Assert.Single(offline, e => e.UserId == "alice");
        Assert.Equal(OfflineReason.Disconnected, alice.Reason);
        Assert.Equal(stoppedAt, alice.Timestamp);
        Assert.Single(offline, e => e.UserId == "bob");
        Assert.False(await host.Tracker.IsOnlineAsync("alice"));
        Assert.Equal(new PresenceCounts(0, 0), await host.Tracker.GetCountsAsync());
    }

    [Fact]
    public async Task ACleanStop_OnAFailingStore_StillStops_AndLogsAWarning()
    {
        await using var host = await SweeperHost.StartAsync(b => b.AddStore<ConnectThenFailStore>());
        await host.Tracker.ConnectAsync("alice", "a1");
        ((ConnectThenFailStore)host.Host.Services.GetRequiredService<IPresenceStore>()).Failing = true;

        await host.Host.StopAsync();

        Assert.DoesNotContain(host.Events.Events, e => e is UserOffline);
        Assert.NotEmpty(host.Logs.WithEventId(1006));
    }
}
