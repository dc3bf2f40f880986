using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// After data loss, node A puts back a grace period for a user who came back on node B: the user is
/// never swept offline while connected, whichever of A's grace restore and B's connection restore
/// (or heartbeat) reaches Redis first. Two store instances on separate multiplexers, one redis-server, FLUSHALL.
/// </summary>
public sealed class RestoredGraceTests : IAsyncLifetime
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);
    private static readonly PresenceOptions Options = new()
    {
        ConnectionTtl = TimeSpan.FromSeconds(60),
        HeartbeatInterval = TimeSpan.FromSeconds(10),
        OfflineGracePeriod = Grace,
    };

    private readonly string _keyPrefix = TestRedis.NewPrefix("regrace");
    private TwoNodes _nodes = null!;

    public enum Order
    {
        GraceFirst,
        ConnectionFirst,
        GraceThenHeartbeatThenRenewal,
    }

    private RedisPresenceStore A => _nodes.A;

    private RedisPresenceStore B => _nodes.B;

    private FakeTimeProvider Time => _nodes.Time;

    public async Task InitializeAsync() => _nodes = await TwoNodes.StartAsync(Options, _keyPrefix);

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Theory]
    [InlineData(Order.GraceFirst)]
    [InlineData(Order.ConnectionFirst)]
    [InlineData(Order.GraceThenHeartbeatThenRenewal)]
    public async Task AGraceRestoredByA_ForAUserConnectedOnB_NeverSweepsThemOffline(Order order)
    {
        Assert.Equal(PresenceChange.CameOnline, (await A.AddConnectionAsync("u", "a1")).Change);
        Assert.Equal(PresenceChange.None, (await A.RemoveConnectionAsync("u", "a1")).Change);
        Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(PresenceChange.None, (await B.AddConnectionAsync("u", "b1")).Change);

        // Data loss near the end of A's grace period: it would end before B's next check (a check period, 5 s).
        Time.Advance(Grace - TimeSpan.FromSeconds(4));
        await _nodes.FlushAllAsync();
        switch (order)
        {
            case Order.GraceFirst:
                await A.CheckForDataLossAsync();
                Time.Advance(TimeSpan.FromSeconds(4));
                Assert.Empty((await A.SweepExpiredAsync(100)).Users);
                await B.CheckForDataLossAsync();
                break;
            case Order.ConnectionFirst:
                await B.CheckForDataLossAsync();
                await A.CheckForDataLossAsync();
                break;
            case Order.GraceThenHeartbeatThenRenewal:
                await A.CheckForDataLossAsync();
                // A heartbeat stays in B's memory; B's next lease renewal (within one renewal period, shorter than the hold) restores.
                Assert.Equal(PresenceChange.None, (await B.RefreshConnectionAsync("u", "b1")).Change);
                await B.CheckForDataLossAsync();
                break;
        }

        Time.Advance(Grace);
        Assert.Empty((await A.SweepExpiredAsync(100)).Users);
        Assert.Empty((await B.SweepExpiredAsync(100)).Users);
        Assert.Equal(1, Assert.Single(await A.GetPresenceAsync(["u"])).ConnectionCount);
        Assert.Equal(PresenceChange.None, (await B.RefreshConnectionAsync("u", "b1")).Change);

        // The one real offline, later, is reported once, when B's grace period ends.
        Assert.Equal(PresenceChange.None, (await B.RemoveConnectionAsync("u", "b1")).Change);
        Time.Advance(Grace + TimeSpan.FromSeconds(1));
        Assert.Equal("u", Assert.Single((await B.SweepExpiredAsync(100)).Users).UserId);
        Assert.Empty((await A.SweepExpiredAsync(100)).Users);
    }

    [Fact]
    public async Task AGraceRestoredNearItsEnd_ForAUserWhoStaysAway_EndsWhenTheShardHasSettled()
    {
        await A.AddConnectionAsync("u", "a1");
        await A.RemoveConnectionAsync("u", "a1");
        Time.Advance(Grace - TimeSpan.FromSeconds(4));
        await _nodes.FlushAllAsync();
        await A.CheckForDataLossAsync();
        var restoredAt = Time.GetUtcNow();

        // The shard settles for two heartbeat intervals from the new epoch; the grace period put back ends then.
        var settle = Options.HeartbeatInterval + Options.HeartbeatInterval;
        Time.Advance(settle - TimeSpan.FromMilliseconds(1));
        Assert.Empty((await B.SweepExpiredAsync(100)).Users);
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var swept = Assert.Single((await B.SweepExpiredAsync(100)).Users);
        Assert.Equal(("u", restoredAt + settle - Grace), (swept.UserId, swept.Timestamp));
    }
}
