using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace Presence.Redis.Tests;

/// <summary>
/// Counts script calls on a private redis-server (INFO commandstats): a connect or disconnect is one
/// script call, heartbeats are batched, and 100k connections' memory is measured.
/// </summary>
public sealed class RoundTripTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private RedisServerProcess _server = null!;
    private IConnectionMultiplexer _redis = null!;
    private Internal.RedisPresenceStore _store = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync();
        _redis = await TestRedis.ConnectAsync(_server.EndPoint);
        _store = TestRedis.CreateStore(_redis, "presence", _time, clock: null);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _redis.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ConnectAndDisconnect_AreOneScriptCallEach()
    {
        const int Count = 200;
        var before = await ScriptCallsAsync();

        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(PresenceChange.CameOnline, (await _store.AddConnectionAsync($"u{i}", $"c{i}")).Change);
        }

        var afterConnects = await ScriptCallsAsync();
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(PresenceChange.WentOffline, (await _store.RemoveConnectionAsync($"u{i}", $"c{i}")).Change);
        }

        Assert.Equal(Count, afterConnects - before);
        Assert.Equal(Count, await ScriptCallsAsync() - afterConnects);
    }

    [Fact]
    public async Task ConcurrentHeartbeats_AreBatched_AndEachCallerGetsItsOwnAnswer()
    {
        const int Connections = 2000;
        for (var i = 0; i < Connections; i++)
        {
            await _store.AddConnectionAsync($"u{i}", $"c{i}");
        }

        var before = await ScriptCallsAsync();
        var known = Enumerable.Range(0, Connections).Select(i => _store.RefreshConnectionAsync($"u{i}", $"c{i}").AsTask());
        var unknown = Enumerable.Range(0, 20).Select(i => _store.RefreshConnectionAsync($"new{i}", $"n{i}").AsTask());
        var results = await Task.WhenAll(known.Concat(unknown).ToList());
        var calls = await ScriptCallsAsync() - before;

        Assert.All(results.Take(Connections), r => Assert.Equal(PresenceChange.None, r.Change));
        Assert.All(results.Skip(Connections), r => Assert.Equal(PresenceChange.CameOnline, r.Change));
        output.WriteLine($"{Connections + 20} heartbeats took {calls} script calls.");
        Assert.InRange(calls, 1, (Connections + 20) / 4);
        Assert.Equal(new PresenceCounts(Connections + 20, Connections + 20), await _store.GetCountsAsync());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task MemoryPerTrackedConnection_IsMeasured(int tabsPerUser)
    {
        const int Connections = 100_000;

        // Realistic id sizes: a 12-character user id and SignalR's 22-character connection id.
        string UserId(int i) => string.Create(CultureInfo.InvariantCulture, $"user-{i / tabsPerUser:D7}");
        static string ConnectionId(int i) => Convert.ToBase64String(Guid.NewGuid().ToByteArray())[..22];

        await _store.AddConnectionAsync("warm-up", "warm-up");
        var before = await UsedMemoryAsync();
        var ids = Enumerable.Range(0, Connections).Select(i => (User: UserId(i), Connection: ConnectionId(i))).ToArray();
        foreach (var chunk in ids.Chunk(5000))
        {
            await Task.WhenAll(chunk.Select(id => _store.RefreshConnectionAsync(id.User, id.Connection).AsTask()));
        }

        var after = await UsedMemoryAsync();
        Assert.Equal(new PresenceCounts((Connections / tabsPerUser) + 1, Connections + 1), await _store.GetCountsAsync());
        var perConnection = (after - before) / (double)Connections;
        output.WriteLine($"Redis used_memory grew by {after - before} bytes for {Connections} connections ({tabsPerUser} per user): {perConnection:F1} bytes per connection.");
        Assert.InRange(perConnection, 1, 400);
    }

    [Fact]
    public async Task SetStatus_IsOneScriptCall_AndGetPresence_OneScriptCallOverEveryShard_OnStandaloneRedis()
    {
        var sameShard = Enumerable.Range(0, 10_000).Select(i => $"s{i}").Where(u => _store.Keys.ShardOf(u) == 5).Take(40).ToArray();
        var spread = Enumerable.Range(0, 300).Select(i => $"p{i}").ToArray();
        foreach (var user in sameShard.Concat(spread))
        {
            await _store.AddConnectionAsync(user, user + "-c");
        }

        var before = await ScriptCallsAsync();
        Assert.Equal(StatusChange.Changed, (await _store.SetStatusAsync(sameShard[0], PresenceStatus.Busy)).Change);
        var afterStatus = await ScriptCallsAsync();
        var oneShard = await _store.GetPresenceAsync(sameShard);
        var afterOneShard = await ScriptCallsAsync();
        var allShards = await _store.GetPresenceAsync(spread);
        var afterAllShards = await ScriptCallsAsync();

        Assert.Equal(1, afterStatus - before);
        Assert.Equal(1, afterOneShard - afterStatus);
        Assert.Equal(1, afterAllShards - afterOneShard);
        Assert.Equal(PresenceStatus.Busy, oneShard[0].Status);
        Assert.All(oneShard.Concat(allShards), p => Assert.Equal((true, 1), (p.IsOnline, p.ConnectionCount)));
    }

    [Fact]
    public async Task MemoryOfStatusesAndLastSeen_IsMeasured()
    {
        const int Users = 100_000;
        string UserId(int i) => string.Create(CultureInfo.InvariantCulture, $"user-{i:D7}");
        static string ConnectionId(int i) => string.Create(CultureInfo.InvariantCulture, $"conn-{i:D7}-abcdefghijklmn");

        await _store.AddConnectionAsync("warm-up", "warm-up");
        var empty = await UsedMemoryAsync();
        await ForAllAsync(i => _store.AddConnectionAsync(UserId(i), ConnectionId(i)).AsTask());
        var online = await UsedMemoryAsync();
        await ForAllAsync(i => _store.SetStatusAsync(UserId(i), PresenceStatus.Away).AsTask());
        var withStatus = await UsedMemoryAsync();
        await ForAllAsync(i => _store.RemoveConnectionAsync(UserId(i), ConnectionId(i)).AsTask());
        var offline = await UsedMemoryAsync();

        Assert.Equal(new PresenceCounts(1, 1), await _store.GetCountsAsync());
        var perConnection = (online - empty) / (double)Users;
        var perStatus = (withStatus - online) / (double)Users;
        var perLastSeen = (offline - empty) / (double)Users;
        output.WriteLine($"{Users} users, one connection each: {perConnection:F1} bytes per online user; a status (\"away\") adds {perStatus:F1} bytes; "
            + $"once offline, the last-seen record and the version cost {perLastSeen:F1} bytes per user (kept for LastSeenRetention).");
        Assert.InRange(perStatus, 1, 200);

        // An offline user keeps two entries: the last-seen score and the version (a 16-digit value), each with the user id.
        Assert.InRange(perLastSeen, 1, 300);

        async Task ForAllAsync<T>(Func<int, Task<T>> call)
        {
            foreach (var chunk in Enumerable.Range(0, Users).Chunk(5000))
            {
                await Task.WhenAll(chunk.Select(call));
            }
        }
    }

    private async Task<long> ScriptCallsAsync()
    {
        var stats = await _redis.GetServer(_server.EndPoint).InfoAsync("commandstats");
        return stats.SelectMany(g => g)
            .Where(p => p.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(p => long.Parse(p.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
    }

    private async Task<long> UsedMemoryAsync()
    {
        var info = await _redis.GetServer(_server.EndPoint).InfoAsync("memory");
        return long.Parse(info.SelectMany(g => g).Single(p => p.Key == "used_memory").Value, CultureInfo.InvariantCulture);
    }
}
