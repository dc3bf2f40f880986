using Microsoft.Extensions.DependencyInjection;
using Presence.Core.Tests.Support;

namespace Presence.Core.Tests;

public sealed class PresenceSweeperTests
{
    [Fact]
    public async Task ADeadConnection_IsExpiredWithinTtlPlusSweepInterval()
    {
        await using var host = await SweeperHost.StartAsync();

        // Off the tick grid, so the lease ends between two sweeps.
        host.Time.Advance(SweeperHost.SweepInterval / 2);
        await host.Tracker.ConnectAsync("alice", "dead-tab");
        var connectedAt = host.Time.GetUtcNow();

        var ticks = 0;
        while (!host.Events.Events.OfType<UserOffline>().Any())
        {
            Assert.True(++ticks <= 100, "The sweeper never expired the connection.");
            await host.TickAsync();
        }

        var offline = Assert.Single(host.Events.Events.OfType<UserOffline>());
        Assert.Equal(("alice", OfflineReason.Expired), (offline.UserId, offline.Reason));
        Assert.Equal(host.Time.GetUtcNow(), offline.Timestamp);
        Assert.InRange(offline.Timestamp, connectedAt + SweeperHost.Ttl, connectedAt + SweeperHost.Ttl + SweeperHost.SweepInterval);
        Assert.False(await host.Tracker.IsOnlineAsync("alice"));
    }

    [Fact]
    public async Task AConnectionThatKeepsPinging_IsNeverExpired()
    {
        await using var host = await SweeperHost.StartAsync();
        await host.Tracker.ConnectAsync("alice", "healthy-tab");

        // One minute of sweeps with a ping every 3 s (the heartbeat interval).
        for (var second = 1; second <= 60; second++)
        {
            await host.TickAsync();
            if (second % 3 == 0)
            {
                Assert.Equal(PresenceChange.None, (await host.Tracker.PingAsync("alice", "healthy-tab")).Change);
            }
        }

        Assert.Empty(host.Events.Events.OfType<UserOffline>());
        Assert.True(await host.Tracker.IsOnlineAsync("alice"));
    }

    [Fact]
    public async Task AStoreThatThrowsInSweep_DoesNotStopTheSweeper()
    {
        await using var host = await SweeperHost.StartAsync(b => b.AddStore<FlakySweepStore>());
        var store = (FlakySweepStore)host.Host.Services.GetRequiredService<IPresenceStore>();
        store.FailingSweeps = 0;
        await host.Tracker.ConnectAsync("alice", "tab");
        for (var i = 0; i < SweeperHost.Ttl / SweeperHost.SweepInterval - 1; i++)
        {
            await host.TickAsync();
        }

        // The lease ends on the next tick, and the next two sweeps fail.
        store.FailingSweeps = store.Sweeps + 2;
        await host.TickAsync();
        await host.TickAsync();
        Assert.Empty(host.Events.Events.OfType<UserOffline>());
        Assert.Equal(2, host.Logs.WithEventId(1002).Count);
        Assert.All(host.Logs.WithEventId(1002), e => Assert.IsType<InvalidOperationException>(e.Exception));

        await host.TickAsync();
        var offline = Assert.Single(host.Events.Events.OfType<UserOffline>());
        Assert.Equal(OfflineReason.Expired, offline.Reason);
        Assert.False(host.Sweeper.ExecuteTask?.IsFaulted ?? true);
    }

    [Fact]
    public async Task AStoreOutage_LogsOneWarningWhenItStartsAndOneLineWhenItEnds_NoErrorPerSweep()
    {
        await using var host = await SweeperHost.StartAsync(b => b.AddStore<OutageStore>());
        var store = (OutageStore)host.Host.Services.GetRequiredService<IPresenceStore>();
        store.Down = true;

        for (var i = 0; i < 5; i++)
        {
            await host.TickAsync();
        }

        await Assert.ThrowsAsync<PresenceStoreUnavailableException>(async () => await host.Tracker.ConnectAsync("alice", "tab"));
        var unavailable = Assert.Single(host.Logs.WithEventId(1009));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, unavailable.Level);
        Assert.Null(unavailable.Exception);
        Assert.Contains("The presence store is unavailable (SweepAsync failed: The presence store could not be reached. Connection refused (127.0.0.1:6379))", unavailable.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error || e.Exception is not null);

        store.Down = false;
        await host.TickAsync();
        await host.TickAsync();
        var available = Assert.Single(host.Logs.WithEventId(1010));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, available.Level);
        Assert.Equal("The presence store is available again.", available.Message);
        Assert.Equal(PresenceChange.CameOnline, (await host.Tracker.ConnectAsync("alice", "tab")).Change);

        // A second outage is a new one: warned again.
        store.Down = true;
        await host.TickAsync();
        Assert.Equal(2, host.Logs.WithEventId(1009).Count);
    }

    [Fact]
    public async Task StoppingTheHost_StopsTheSweeper()
    {
        var host = await SweeperHost.StartAsync();
        var sweeper = host.Sweeper;
        await host.TickAsync();

        await host.DisposeAsync();

        Assert.NotNull(sweeper.ExecuteTask);
        Assert.True(sweeper.ExecuteTask.IsCompletedSuccessfully);
    }
}
