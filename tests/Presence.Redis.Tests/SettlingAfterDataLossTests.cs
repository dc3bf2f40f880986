using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// After data loss, the node that restores first must not take a user offline whom another node still
/// holds but has not put back yet: for two heartbeat intervals after a new epoch (every live node renews,
/// and so restores, at least four times in it) no last removal, expiry, grace period or dead node ends a user. Found by
/// the chaos suite (docs/reliability.md, D1 and D5). Two store instances on one redis-server of the test's own.
/// </summary>
public sealed class SettlingAfterDataLossTests : IAsyncLifetime
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    /// <summary>How long a shard settles after lost data: two heartbeat intervals.</summary>
    private static readonly TimeSpan Settle = Heartbeat + Heartbeat;

    private readonly string _keyPrefix = TestRedis.NewPrefix("settle");
    private TwoNodes _nodes = null!;

    private RedisPresenceStore A => _nodes.A;

    private RedisPresenceStore B => _nodes.B;

    private FakeTimeProvider Time => _nodes.Time;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
    }

    [Fact]
    public async Task AfterAFlush_ALastDisconnectOnTheNodeThatRestoredFirst_KeepsTheUserAnotherNodeHolds()
    {
        await StartAsync(TimeSpan.Zero);
        Assert.Equal(PresenceChange.CameOnline, (await A.AddConnectionAsync("u", "a1")).Change);
        Assert.Equal(PresenceChange.None, (await B.AddConnectionAsync("u", "b1")).Change);

        await _nodes.FlushAllAsync();
        Time.Advance(TimeSpan.FromSeconds(1));
        await B.CheckForDataLossAsync();

        // B put back its own connection only; A still holds u but has not renewed yet.
        Assert.Equal(PresenceChange.None, (await B.RemoveConnectionAsync("u", "b1")).Change);
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty((await B.SweepExpiredAsync(100)).Users);

        await RestoreAThenSettleAsync();

        var presence = Assert.Single(await B.GetPresenceAsync(["u"]));
        Assert.True(presence.IsOnline);
        Assert.Equal(1, presence.ConnectionCount);
    }

    [Fact]
    public async Task AfterAFlush_ALastDisconnectWithNobodyElse_IsStillReportedOnce_WhenTheShardHasSettled()
    {
        await StartAsync(TimeSpan.Zero);
        Assert.Equal(PresenceChange.CameOnline, (await A.AddConnectionAsync("u", "a1")).Change);
        await _nodes.FlushAllAsync();
        Time.Advance(TimeSpan.FromSeconds(1));
        await A.CheckForDataLossAsync();
        await B.CheckForDataLossAsync();

        Assert.Equal(PresenceChange.None, (await A.RemoveConnectionAsync("u", "a1")).Change);
        Assert.Empty((await A.SweepExpiredAsync(100)).Users);

        Time.Advance(Settle + TimeSpan.FromSeconds(1));
        var swept = Assert.Single((await B.SweepExpiredAsync(100)).Users);
        Assert.Equal(("u", OfflineReason.Disconnected), (swept.UserId, swept.Reason));
        Assert.Empty((await A.SweepExpiredAsync(100)).Users);
        Assert.False(Assert.Single(await A.GetPresenceAsync(["u"])).IsOnline);
    }

    [Fact]
    public async Task AfterARestartFromASnapshot_AGracePeriodThatAReconnectCancelledSinceDoesNotEnd_BeforeItsHolderRestores()
    {
        var grace = TimeSpan.FromSeconds(2);
        await StartAsync(grace);
        Assert.Equal(PresenceChange.CameOnline, (await A.AddConnectionAsync("u", "a1")).Change);
        Assert.Equal(PresenceChange.None, (await A.RemoveConnectionAsync("u", "a1")).Change);
        await _nodes.SaveAsync();

        // After the snapshot the user comes back: the grace period is cancelled, but only in the lost writes.
        Time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(PresenceChange.None, (await A.AddConnectionAsync("u", "a2")).Change);

        await _nodes.RestartAsync();

        // B renews first and restores its (empty) record; the snapshot's grace period has ended by then.
        Time.Advance(grace + TimeSpan.FromSeconds(1));
        await B.CheckForDataLossAsync();
        Assert.Empty((await B.SweepExpiredAsync(100)).Users);
        Assert.Empty((await B.SweepExpiredAsync(100)).Users);

        await RestoreAThenSettleAsync();
        Assert.Equal(1, Assert.Single(await B.GetPresenceAsync(["u"])).ConnectionCount);
    }

    [Fact]
    public async Task AfterARestartFromASnapshot_AGracePeriodThatEndedSince_IsNotReportedASecondTime()
    {
        var grace = TimeSpan.FromSeconds(2);
        await StartAsync(grace);
        Assert.Equal(PresenceChange.CameOnline, (await A.AddConnectionAsync("u", "a1")).Change);
        Assert.Equal(PresenceChange.None, (await A.RemoveConnectionAsync("u", "a1")).Change);
        await _nodes.SaveAsync();

        // After the snapshot the grace period ends: the offline is reported, in the writes the restart loses.
        Time.Advance(grace + TimeSpan.FromSeconds(1));
        Assert.Equal("u", Assert.Single((await A.SweepExpiredAsync(100)).Users).UserId);

        await _nodes.RestartAsync();
        Time.Advance(TimeSpan.FromSeconds(1));
        await RestoreAThenSettleAsync();
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty((await A.SweepExpiredAsync(100)).Users);
        Assert.Empty((await B.SweepExpiredAsync(100)).Users);
        Assert.False(Assert.Single(await A.GetPresenceAsync(["u"])).IsOnline);
    }

    [Fact]
    public async Task AfterARestartFromASnapshot_AStatusOnTheRolledBackData_IsRefusedUntilAHolderConfirmsTheUser()
    {
        await StartAsync(TimeSpan.Zero);
        Assert.Equal(PresenceChange.CameOnline, (await A.AddConnectionAsync("u", "a1")).Change);
        Assert.Equal(PresenceChange.CameOnline, (await A.AddConnectionAsync("stayer", "a2")).Change);
        await _nodes.SaveAsync();

        // After the snapshot u leaves (reported offline); the restart brings u back online in the data.
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PresenceChange.WentOffline, (await A.RemoveConnectionAsync("u", "a1")).Change);
        await _nodes.RestartAsync();
        Time.Advance(TimeSpan.FromSeconds(1));

        // Before any node restored: the data says u is online, nobody holds u. No status is accepted for u.
        Assert.Equal(StatusChange.NotOnline, (await A.SetStatusAsync("u", "busy")).Change);

        // The holder's restore confirms the user it holds, whose status then goes through; u stays offline.
        await A.CheckForDataLossAsync();
        Assert.Equal(StatusChange.Changed, (await A.SetStatusAsync("stayer", "busy")).Change);
        Assert.Equal(StatusChange.NotOnline, (await A.SetStatusAsync("u", "busy")).Change);
        Assert.False(Assert.Single(await A.GetPresenceAsync(["u"])).IsOnline);
    }

    /// <summary>A restores; a heartbeat interval later both renew and sweep, and nobody is reported offline.</summary>
    private async Task RestoreAThenSettleAsync()
    {
        await A.CheckForDataLossAsync();
        Time.Advance(Settle);
        await A.CheckForDataLossAsync();
        await B.CheckForDataLossAsync();
        Assert.Empty((await B.SweepExpiredAsync(100)).Users);
        Assert.Empty((await A.SweepExpiredAsync(100)).Users);
    }

    private async Task StartAsync(TimeSpan grace) => _nodes = await TwoNodes.StartAsync(
        new PresenceOptions { ConnectionTtl = TimeSpan.FromSeconds(60), HeartbeatInterval = Heartbeat, OfflineGracePeriod = grace },
        _keyPrefix);
}
