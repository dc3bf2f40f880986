using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// The data-loss check runs on: a failure of any kind in one check is logged and the next tick checks
/// again. After a timeout the recovery still keeps only what it may have to put back (its maps do not
/// grow with connect/disconnect churn), and disposing the store never throws, even with Redis down or
/// a restore that failed.
/// </summary>
public sealed class RecoveryLoopTests : IAsyncLifetime
{
    private const int Shards = 2;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(8);
    private readonly string _keyPrefix = TestRedis.NewPrefix("recovery");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CapturingLoggerProvider _logs = new();
    private IConnectionMultiplexer _redis = null!;
    private FaultInjectingDatabase _faults = null!;
    private RedisPresenceStore _store = null!;

    public async Task InitializeAsync()
    {
        _redis = await TestRedis.StandaloneAsync();
        _store = FaultInjectingMultiplexer.CreateStore(_redis, _keyPrefix, _time, Shards, out _faults, _logs.CreateLogger("test"), Grace);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await TestRedis.DeleteKeysAsync(_redis, _keyPrefix, Shards);
        _logs.Dispose();
    }

    [Fact]
    public async Task AFailedCheck_OfAnyKind_IsLogged_AndTheNextTickStillRestoresLostData()
    {
        Assert.Equal(PresenceChange.CameOnline, (await _store.AddConnectionAsync("alice", "a1")).Change);
        _faults.Failure = static () => new InvalidOperationException("Injected bug.");
        _faults.Fails = static _ => true;

        await AdvanceUntilAsync(() => Task.FromResult(_logs.Has(2003)), "the failed check to be logged");

        _faults.Fails = static _ => false;
        await TestRedis.DeleteKeysAsync(_redis, _keyPrefix, Shards);
        await AdvanceUntilAsync(async () => await _store.IsOnlineAsync("alice") && _logs.Has(2001), "the lost connection to be put back");
    }

    /// <summary>
    /// Moves the clock one check period at a time, waiting up to 5 s of real time after each step: on
    /// a busy machine the loop may reach its next wait only after a step, and then needs another.
    /// At most 20 s of fake time pass, well inside alice's lease.
    /// </summary>
    private async Task AdvanceUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var step = 0; step < 4; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(5))
            {
                if (await condition())
                {
                    return;
                }

                await Task.Delay(20);
            }
        }

        Assert.Fail($"Timed out waiting for {what}.");
    }

    [Fact]
    public async Task AfterATimedOutCheck_ConnectDisconnectChurn_LeavesTheLocalMapsEmpty_OnceGraceAndLeasesEnd()
    {
        await _store.AddConnectionAsync("first", "f1");
        _faults.Fails = static _ => true;
        _time.Advance(TimeSpan.FromSeconds(5));
        await TestRedis.WaitUntilAsync(() => Task.FromResult(_logs.Has(2003)), "the timed-out check to be logged");
        _faults.Fails = static _ => false;
        await _store.RemoveConnectionAsync("first", "f1");

        for (var round = 0; round < 5; round++)
        {
            for (var i = 0; i < 200; i++)
            {
                var user = $"u{i}";
                var connection = $"c{round}-{i}";
                await _store.AddConnectionAsync(user, connection);
                await _store.RefreshConnectionAsync(user, $"late{round}-{i}");
                await _store.RemoveConnectionAsync(user, connection);
            }

            _time.Advance(TimeSpan.FromSeconds(5));
        }

        // Heartbeats of connections never disconnected here (the tracker drops late ones) live one
        // lease; then this node's sweep expires them.
        _time.Advance(TimeSpan.FromSeconds(31));
        await TestRedis.WaitUntilAsync(
            async () =>
            {
                await _store.SweepExpiredAsync(10_000);
                return _store.Node.Connections.IsEmpty && _store.Node.Graces.IsEmpty;
            },
            "the periodic check to forget ended grace periods, silent and long-closed connections");
    }

    [Fact]
    public async Task Dispose_WhileARestoreFailsWithABug_DoesNotThrow_AndLogsIt()
    {
        await _store.AddConnectionAsync("alice", "a1");
        _faults.Fails = static _ => true;
        _faults.Failure = static () => new InvalidOperationException("Injected bug.");

        _ = _store.Recovery.RestoreAsync(_store.Keys.ShardOf("alice"));
        await TestRedis.WaitUntilAsync(() => Task.FromResult(_logs.Has(2002)), "the failed restore to be logged");

        await _store.DisposeAsync();
    }

    [Fact]
    public async Task Dispose_WithRedisDown_AndChecksAndRestoresInFlight_DoesNotThrow()
    {
        await using var server = await RedisServerProcess.StartAsync();
        var redis = await TestRedis.ConnectAsync(server.EndPoint);
        var store = new RedisPresenceStore(
            () => Task.FromResult(redis),
            ownsConnection: true,
            new RedisPresenceStoreOptions { KeyPrefix = _keyPrefix, ExpiryShards = Shards },
            new PresenceOptions { ConnectionTtl = TimeSpan.FromSeconds(30), HeartbeatInterval = TimeSpan.FromSeconds(10), OfflineGracePeriod = Grace },
            _time,
            _logs.CreateLogger("down"));
        await store.AddConnectionAsync("alice", "a1");
        await store.AddConnectionAsync("bob", "b1");
        await store.RemoveConnectionAsync("bob", "b1");

        await server.StopAsync();
        store.Node.SetEpoch(store.Keys.ShardOf("alice"), "another-epoch");
        _ = store.CheckForDataLossAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        var heartbeat = store.RefreshConnectionAsync("alice", "a1").AsTask();

        await store.DisposeAsync();
        var failure = await Record.ExceptionAsync(() => heartbeat);
        Assert.True(failure is null or ObjectDisposedException, $"The heartbeat (in the node's memory) failed with {failure}.");
    }
}
