using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// The heartbeat script renews a whole batch with two variadic ZADDs and looks members up one by one
/// only when some were missing. These tests feed it batches that mix renewals, lost connections
/// and repeats, on one shard so a script call gets more than one 1,000-member slice.
/// </summary>
public sealed class HeartbeatBatchTests : IAsyncLifetime
{
    private const int Known = 2500;

    private readonly string _keyPrefix = TestRedis.NewPrefix("batch");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private IConnectionMultiplexer? _redis;
    private RedisPresenceStore? _store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        await TestRedis.DeleteKeysAsync(_redis, _keyPrefix, shards: 1);
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABatchOfRenewals_NewUsersAndRepeats_ReportsEachNewUserOnce_AndCountsEachConnectionOnce(bool cluster)
    {
        var store = await CreateStoreWithKnownConnectionsAsync(cluster);

        // Started in one go, so they queue behind one flush: new users sit between renewals, in several
        // slices; each new user pings one connection three times and a second connection once.
        var newUsers = Enumerable.Range(0, Known).Where(i => i % 500 == 250).Select(i => $"nu{i}").ToList();
        var known = new List<Task<PresenceTransition>>();
        var fresh = newUsers.ToDictionary(u => u, _ => new List<Task<PresenceTransition>>());
        for (var i = 0; i < Known; i++)
        {
            known.Add(store.RefreshConnectionAsync($"ku{i}", $"k{i}").AsTask());
            if (i % 500 == 250)
            {
                var user = $"nu{i}";
                fresh[user].Add(store.RefreshConnectionAsync(user, $"{user}-a").AsTask());
                fresh[user].Add(store.RefreshConnectionAsync(user, $"{user}-a").AsTask());
                fresh[user].Add(store.RefreshConnectionAsync(user, $"{user}-b").AsTask());
                fresh[user].Add(store.RefreshConnectionAsync(user, $"{user}-a").AsTask());
            }
        }

        Assert.All(await Task.WhenAll(known), change => Assert.Equal(PresenceChange.None, change.Change));
        foreach (var (user, pings) in fresh)
        {
            var changes = await Task.WhenAll(pings);
            Assert.Equal(1, changes.Count(c => c.Change == PresenceChange.CameOnline));
            Assert.Equal(2, await store.GetConnectionCountAsync(user));
        }

        Assert.Equal(new PresenceCounts(Known + newUsers.Count, Known + (2 * newUsers.Count)), await store.GetCountsAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABatchWhoseConnectionsAllExist_RenewsEveryLease_AndLosesNone(bool cluster)
    {
        var store = await CreateStoreWithKnownConnectionsAsync(cluster);
        var expiry = store.Keys.ForShard(0).Expiry;
        var before = await _redis!.GetDatabase().SortedSetRangeByRankWithScoresAsync(expiry);

        _time.Advance(TimeSpan.FromSeconds(1));
        var changes = await Task.WhenAll(Enumerable.Range(0, Known).Select(i => store.RefreshConnectionAsync($"ku{i}", $"k{i}").AsTask()));
        var after = (await _redis.GetDatabase().SortedSetRangeByRankWithScoresAsync(expiry)).ToDictionary(e => e.Element, e => e.Score);

        Assert.All(changes, change => Assert.Equal(PresenceChange.None, change.Change));
        Assert.Equal(Known, after.Count);
        Assert.All(before, entry => Assert.True(after[entry.Element] > entry.Score, "every lease moved forward"));
        Assert.DoesNotContain(0d, after.Values);
    }

    /// <summary>A one-shard store holding <see cref="Known"/> connections, ku{i}/k{i}.</summary>
    private async Task<RedisPresenceStore> CreateStoreWithKnownConnectionsAsync(bool cluster)
    {
        var configuration = cluster ? await TestRedis.ClusterConfigurationAsync() : await TestRedis.StandaloneConfigurationAsync();
        _redis = await TestRedis.ConnectAsync(configuration);

        // One shard and batches above the 1,000-member slice, so one script call covers several slices.
        _store = new RedisPresenceStore(
            () => Task.FromResult(_redis),
            ownsConnection: false,
            new RedisPresenceStoreOptions { KeyPrefix = _keyPrefix, ExpiryShards = 1, HeartbeatBatchSize = 5000 },
            new PresenceOptions(),
            _time,
            NullLogger.Instance);
        _store.ServerClockOverride = () => _time.GetUtcNow().ToUnixTimeMilliseconds();
        var store = _store;
        await Task.WhenAll(Enumerable.Range(0, Known).Select(i => store.AddConnectionAsync($"ku{i}", $"k{i}").AsTask()));
        return store;
    }
}
