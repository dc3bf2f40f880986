using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>Ids never reach key names, so no id can forge or collide with a key; prefixes isolate apps.</summary>
public sealed class KeyLayoutTests : IAsyncLifetime
{
    private static readonly string[] s_trickyIds =
    [
        "{0}", "{1}", "}{", "a:b", "a::b", "*", "a*", "user name", " leading", "ünïcödé", "用户", "emoji-😀",
        "presence:{0}:users", "presence:{0}:expiry", "{presence}", "a{b}c", "a{b}d", "[*]", "?", "\\", "\"quoted\"",
    ];

    private readonly List<IAsyncDisposable> _stores = [];
    private readonly List<string> _prefixes = [];
    private IConnectionMultiplexer? _redis;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        foreach (var prefix in _prefixes)
        {
            await TestRedis.DeleteKeysAsync(_redis, prefix);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TrickyIds_StaySeparate_AndOnlyTheShardKeysExist(bool cluster)
    {
        _redis = cluster ? await TestRedis.ClusterAsync() : await TestRedis.StandaloneAsync();
        var prefix = NewPrefix();
        var store = NewStore(prefix);
        var run = Guid.NewGuid().ToString("N")[..6];
        var users = s_trickyIds.Select(id => id + run).Concat(s_trickyIds).Distinct().ToArray();

        foreach (var user in users)
        {
            Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync(user, user + "|conn")).Change);
            Assert.Equal(PresenceChange.None, (await store.RefreshConnectionAsync(user, user + "|conn")).Change);
        }

        // Ids that differ only in the tricky characters are different users.
        Assert.Equal(users, await store.GetOnlineAsync(users));
        foreach (var user in users)
        {
            Assert.Equal(1, await store.GetConnectionCountAsync(user));
        }

        Assert.Equal(new PresenceCounts(users.Length, users.Length), await store.GetCountsAsync());

        // Statuses are hash values: tricky characters in them are kept verbatim and forge nothing.
        foreach (var user in users)
        {
            Assert.Equal(StatusChange.Changed, (await store.SetStatusAsync(user, "{busy}:*?[] " + user.Length)).Change);
        }

        Assert.Equal(
            users.Select(u => (u, true, (string?)("{busy}:*?[] " + u.Length), 1)),
            (await store.GetPresenceAsync(users)).Select(p => (p.UserId, p.IsOnline, p.Status, p.ConnectionCount)));

        // Closing each connection takes exactly its own user offline, and remembers when.
        foreach (var user in users)
        {
            Assert.Equal(PresenceChange.WentOffline, (await store.RemoveConnectionAsync(user, user + "|conn")).Change);
        }

        Assert.Empty(await store.GetOnlineAsync(users));
        Assert.All(await store.GetPresenceAsync(users), p => Assert.Equal((false, null, 0, true), (p.IsOnline, p.Status, p.ConnectionCount, p.LastSeen.HasValue)));

        // Every key the store wrote is one of its shard keys: nothing was built from an id.
        var expected = Enumerable.Range(0, 16).SelectMany(s => new RedisPresenceKeys(prefix, 16).ForShard(s).Keys).Select(k => (string)k!).ToHashSet();
        foreach (var endpoint in _redis.GetEndPoints())
        {
            var server = _redis.GetServer(endpoint);
            if (server.IsReplica)
            {
                continue;
            }

            await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
            {
                Assert.Contains((string)key!, expected);
            }
        }
    }

    [Fact]
    public async Task StoresWithDifferentKeyPrefixes_DoNotSeeEachOther()
    {
        _redis = await TestRedis.StandaloneAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var appA = NewStore(NewPrefix(), clock);
        var appB = NewStore(NewPrefix(), clock);
        var user = $"shared-{Guid.NewGuid():N}";

        Assert.Equal(PresenceChange.CameOnline, (await appA.AddConnectionAsync(user, "c1")).Change);
        Assert.False(await appB.IsOnlineAsync(user));
        Assert.Equal(new PresenceCounts(0, 0), await appB.GetCountsAsync());
        Assert.Equal(PresenceChange.CameOnline, (await appB.AddConnectionAsync(user, "c1")).Change);
        Assert.Equal(PresenceChange.WentOffline, (await appB.RemoveConnectionAsync(user, "c1")).Change);
        Assert.True(await appA.IsOnlineAsync(user));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty((await appB.SweepExpiredAsync(1000)).UserIds);
        Assert.True(await appA.IsOnlineAsync(user));
        Assert.Equal([user], (await appA.SweepExpiredAsync(1000)).UserIds);
    }

    [Fact]
    public void ShardOf_IsStableAcrossProcesses_AndSpreadsUsers()
    {
        var keys = new RedisPresenceKeys("presence", 16);

        // FNV-1a of the UTF-8 bytes: fixed values, whatever the process's string hashing seed.
        Assert.Equal(keys.ShardOf("alice"), new RedisPresenceKeys("other", 16).ShardOf("alice"));
        Assert.Equal((int)(Fnv1a("alice") % 16), keys.ShardOf("alice"));
        Assert.Equal((int)(Fnv1a("用户") % 16), keys.ShardOf("用户"));
        var used = Enumerable.Range(0, 1000).Select(i => keys.ShardOf($"user-{i}")).Distinct().Count();
        Assert.Equal(16, used);
        Assert.Equal("presence:{3}:nodes", (string)keys.ForShard(3).Nodes!);
        Assert.Equal("presence:{3}:n:node-1", (string)keys.ForShard(3).NodeHash("node-1")!);
    }

    private static uint Fnv1a(string value)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(value))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }

    private string NewPrefix()
    {
        var prefix = TestRedis.NewPrefix("keys");
        _prefixes.Add(prefix);
        return prefix;
    }

    private RedisPresenceStore NewStore(string prefix, FakeTimeProvider? clock = null)
    {
        var time = clock ?? new FakeTimeProvider();
        var store = TestRedis.CreateStore(_redis!, prefix, time, clock);
        _stores.Add(store);
        return store;
    }
}
