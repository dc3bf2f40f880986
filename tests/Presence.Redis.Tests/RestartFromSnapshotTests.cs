using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// Redis restarts from an RDB snapshot older than the last changes (SAVE, changes, SHUTDOWN NOSAVE,
/// start on the same directory): the epoch comes back with the old data, but the server's run id
/// changed, so the nodes notice and reconcile: no ghost, no second offline, no second online, and
/// versions keep increasing. Two nodes on separate multiplexers, one redis-server of the test's own.
/// </summary>
public sealed class RestartFromSnapshotTests : IAsyncLifetime
{
    private static readonly PresenceOptions Options = new()
    {
        ConnectionTtl = TimeSpan.FromSeconds(60),
        HeartbeatInterval = TimeSpan.FromSeconds(10),
    };

    private readonly string _keyPrefix = TestRedis.NewPrefix("snapshot");

    private TwoNodes _nodes = null!;

    private RedisPresenceStore A => _nodes.A;

    private RedisPresenceStore B => _nodes.B;

    private FakeTimeProvider Time => _nodes.Time;

    public async Task InitializeAsync() => _nodes = await TwoNodes.StartAsync(Options, _keyPrefix);

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task RestartFromAnOlderSnapshot_NoGhost_NoSecondOffline_NoSecondOnline_VersionsKeepIncreasing()
    {
        Assert.Equal(PresenceChange.CameOnline, (await A.AddConnectionAsync("ghost", "g1")).Change);
        Assert.Equal(PresenceChange.CameOnline, (await A.AddConnectionAsync("stayer", "s1")).Change);
        await _nodes.SaveAsync();

        // After the snapshot: one user leaves (reported offline), one arrives (reported online).
        Time.Advance(TimeSpan.FromSeconds(1));
        var left = await A.RemoveConnectionAsync("ghost", "g1");
        Assert.Equal(PresenceChange.WentOffline, left.Change);
        var arrived = await B.AddConnectionAsync("late", "l1");
        Assert.Equal(PresenceChange.CameOnline, arrived.Change);

        await _nodes.RestartAsync();
        Time.Advance(TimeSpan.FromSeconds(1));

        // A heartbeat before the recovery: it stays in the node's memory, the connection never went away.
        Assert.Equal(PresenceChange.None, (await B.RefreshConnectionAsync("late", "l1")).Change);
        await A.CheckForDataLossAsync();
        await B.CheckForDataLossAsync();

        var presence = (await A.GetPresenceAsync(["ghost", "stayer", "late"])).ToDictionary(p => p.UserId);
        Assert.False(presence["ghost"].IsOnline, "the user who left after the snapshot is not back");
        Assert.Equal(1, presence["stayer"].ConnectionCount);
        Assert.Equal(1, presence["late"].ConnectionCount);

        // The snapshot's lease of the closed connection never expires into a second offline.
        for (var i = 0; i < 7; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal(PresenceChange.None, (await A.RefreshConnectionAsync("stayer", "s1")).Change);
            Assert.Equal(PresenceChange.None, (await B.RefreshConnectionAsync("late", "l1")).Change);

            // Both nodes are alive: their lease renewals (timers on the fake clock) run before the sweep.
            await A.CheckForDataLossAsync();
            await B.CheckForDataLossAsync();
            Assert.Empty((await A.SweepExpiredAsync(100)).Users);
        }

        // Versions still increase across the restart (the clock floor): the next changes outrank the last.
        var back = await B.AddConnectionAsync("ghost", "g2");
        Assert.Equal(PresenceChange.CameOnline, back.Change);
        Assert.True(back.Version > left.Version, $"{back.Version} > {left.Version}");
        var gone = await B.RemoveConnectionAsync("late", "l1");
        Assert.Equal(PresenceChange.WentOffline, gone.Change);
        Assert.True(gone.Version > arrived.Version, $"{gone.Version} > {arrived.Version}");
    }

    [Fact]
    public async Task RestartFromASnapshotWhoseLeasesEndedSince_ReportsNoLiveUserOffline_WhicheverNodeRestoresFirst()
    {
        Assert.Equal(PresenceChange.CameOnline, (await A.AddConnectionAsync("alice", "a1")).Change);
        Assert.Equal(PresenceChange.CameOnline, (await B.AddConnectionAsync("bob", "b1")).Change);
        await _nodes.SaveAsync();

        // Both nodes stay alive and renew for longer than a lease: the snapshot's leases have ended by the restart.
        for (var i = 0; i < 8; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(10));
            await A.CheckForDataLossAsync();
            await B.CheckForDataLossAsync();
        }

        await _nodes.RestartAsync();

        // A notices first and sweeps before B has restored: B's lease, from the snapshot, must not read as a crash.
        await A.CheckForDataLossAsync();
        Assert.Empty((await A.SweepExpiredAsync(1000)).Users);
        await B.CheckForDataLossAsync();
        Assert.Empty((await A.SweepExpiredAsync(1000)).Users);
        Assert.Empty((await B.SweepExpiredAsync(1000)).Users);
        Assert.Equal(["alice", "bob"], (await A.GetOnlineAsync(["alice", "bob"])).Order());
    }
}
