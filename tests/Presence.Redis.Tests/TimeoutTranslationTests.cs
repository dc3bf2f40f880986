using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// A <see cref="RedisTimeoutException"/> is a <see cref="TimeoutException"/>, not a <see cref="RedisException"/>:
/// it becomes <see cref="PresenceStoreUnavailableException"/> like any Redis failure, and a sweep that
/// times out on one shard still reports what the other shards removed.
/// </summary>
public sealed class TimeoutTranslationTests : IAsyncLifetime
{
    private const int Shards = 4;
    private readonly string _keyPrefix = TestRedis.NewPrefix("timeout");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private IConnectionMultiplexer _redis = null!;
    private FaultInjectingDatabase _faults = null!;
    private RedisPresenceStore _store = null!;

    public async Task InitializeAsync()
    {
        _redis = await TestRedis.StandaloneAsync();
        _store = FaultInjectingMultiplexer.CreateStore(_redis, _keyPrefix, _time, Shards, out _faults);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await TestRedis.DeleteKeysAsync(_redis, _keyPrefix, Shards);
    }

    [Fact]
    public async Task ASweepTimingOutOnOneShard_ReportsTheUsersTheOtherShardsRemoved_AndTheFailedShardNextTime()
    {
        var users = Enumerable.Range(0, 1000).Select(i => $"u{i}").GroupBy(_store.Keys.ShardOf).OrderBy(g => g.Key).Select(g => g.First()).ToList();
        Assert.Equal(Shards, users.Count);
        foreach (var user in users)
        {
            await _store.AddConnectionAsync(user, user + "-c");
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        var failing = _store.Keys.ForShard(2);
        _faults.Fails = keys => keys[0] == failing.Nodes;

        var first = await _store.SweepExpiredAsync(100);
        Assert.Equal(users.Where(u => _store.Keys.ShardOf(u) != 2).Order(), first.Users.Select(u => u.UserId).Order());
        Assert.Equal(Shards - 1, first.RemovedConnections);

        _faults.Fails = static _ => false;
        var second = await _store.SweepExpiredAsync(100);
        Assert.Equal([users[2]], second.Users.Select(u => u.UserId));
    }

    [Fact]
    public async Task ASweepTimingOutOnEveryShard_Throws_PresenceStoreUnavailable()
    {
        _faults.Fails = static _ => true;
        var exception = await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => _store.SweepExpiredAsync(100).AsTask());
        Assert.IsType<RedisTimeoutException>(exception.InnerException);
    }

    [Fact]
    public async Task ATimeoutOnConnectDisconnectStatusAndHeartbeat_IsPresenceStoreUnavailable()
    {
        await _store.AddConnectionAsync("alice", "a1");
        _faults.Fails = static _ => true;

        Assert.IsType<RedisTimeoutException>((await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => _store.AddConnectionAsync("bob", "b1").AsTask())).InnerException);
        Assert.IsType<RedisTimeoutException>((await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => _store.RemoveConnectionAsync("alice", "a1").AsTask())).InnerException);
        Assert.IsType<RedisTimeoutException>((await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => _store.SetStatusAsync("alice", PresenceStatus.Busy).AsTask())).InnerException);
        Assert.IsType<RedisTimeoutException>((await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => _store.RefreshConnectionAsync("carol", "c1").AsTask())).InnerException);
        Assert.IsType<RedisTimeoutException>((await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => _store.GetPresenceAsync(["alice"]).AsTask())).InnerException);
    }

    [Fact]
    public async Task ATimeoutOnEveryRead_IsPresenceStoreUnavailable()
    {
        await _store.AddConnectionAsync("alice", "a1");
        foreach (var method in new[] { nameof(IDatabase.ScriptEvaluateAsync), nameof(IDatabase.HashKeysAsync), nameof(IDatabase.HashLengthAsync), nameof(IDatabase.HashValuesAsync) })
        {
            _faults.FailingMethods.Add(method);
        }

        Assert.IsType<RedisTimeoutException>((await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => _store.GetOnlineAsync(["alice", "bob"]).AsTask())).InnerException);
        Assert.IsType<RedisTimeoutException>((await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => _store.GetAllOnlineAsync().AsTask())).InnerException);
        Assert.IsType<RedisTimeoutException>((await Assert.ThrowsAsync<PresenceStoreUnavailableException>(() => _store.GetCountsAsync().AsTask())).InnerException);
    }
}
