using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Presence.Internal;

namespace Presence.Core.Tests;

/// <summary>
/// The in-memory store's lazy leases: a heartbeat only raises a connection's lease end, and the sweep
/// re-queues leases it finds extended. These tests check that expiry stays exact and in lease-end
/// order, and that a heartbeat racing a sweep or a disconnect linearizes with it.
/// </summary>
public sealed class InMemoryPresenceStoreLeaseTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(1);
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20_260_126)]
    public async Task RandomOperations_ExpireExactlyTheEndedLeases_WithTheLastLeaseEndAsLastSeen(int seed)
    {
        var random = new Random(seed);
        var time = new FakeTimeProvider(Start);
        var store = NewStore(time);
        var users = Enumerable.Range(0, 12).Select(i => "user-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();

        // The model: the lease end of each live connection, by user.
        var leases = users.ToDictionary(u => u, _ => new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal), StringComparer.Ordinal);
        for (var step = 0; step < 4_000; step++)
        {
            var user = users[random.Next(users.Length)];
            var connection = user + "/tab-" + random.Next(3).ToString(CultureInfo.InvariantCulture);
            var mine = leases[user];
            switch (random.Next(10))
            {
                case < 3:
                    await store.AddConnectionAsync(user, connection);
                    mine[connection] = time.GetUtcNow() + Ttl;
                    break;
                case < 6:
                    await store.RefreshConnectionAsync(user, connection);
                    mine[connection] = time.GetUtcNow() + Ttl;
                    break;
                case < 7:
                    await store.RemoveConnectionAsync(user, connection);
                    mine.Remove(connection);
                    break;
                case < 9:
                    // Often a step of one tick, so sweeps land just before and exactly at lease ends.
                    time.Advance(random.Next(2) == 0 ? Resolution : TimeSpan.FromMilliseconds(random.Next(1, 25_000)));
                    break;
                default:
                    var now = time.GetUtcNow();
                    var expected = new HashSet<SweptUser>();
                    foreach (var (id, connections) in leases)
                    {
                        if (connections.Count > 0 && connections.Values.All(end => end <= now))
                        {
                            expected.Add(new SweptUser(id, OfflineReason.Expired, connections.Values.Max(), 0));
                        }

                        foreach (var ended in connections.Where(c => c.Value <= now).Select(c => c.Key).ToList())
                        {
                            connections.Remove(ended);
                        }
                    }

                    Assert.Equal(expected, (await SweepAllAsync(store, 1 + random.Next(4))).ToHashSet());
                    break;
            }

            Assert.Equal(mine.Count, await store.GetConnectionCountAsync(user));
        }

        var counts = await store.GetCountsAsync();
        Assert.Equal(leases.Values.Sum(c => c.Count), counts.Connections);
        Assert.Equal(leases.Values.Count(c => c.Count > 0), counts.OnlineUsers);
    }

    [Fact]
    public async Task ARefreshedLease_ThatEndsBeforeAnOlderOne_EndsFirst()
    {
        var time = new FakeTimeProvider(Start);
        var store = NewStore(time);
        await store.AddConnectionAsync("ann", "ann/1");
        await store.AddConnectionAsync("ann", "ann/2");
        time.Advance(TimeSpan.FromSeconds(10));
        await store.RefreshConnectionAsync("ann", "ann/1"); // ends at 70 s, after ann/2 (60 s) though queued before it
        time.Advance(TimeSpan.FromSeconds(80));

        var swept = await SweepAllAsync(store, 100);

        // The user's last connection is the one that ended last, so that is when they were last seen.
        Assert.Equal([new SweptUser("ann", OfflineReason.Expired, Start + TimeSpan.FromSeconds(70), 0)], swept);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(2_026)]
    [InlineData(90_125)]
    public async Task HeartbeatsRacingASweepAndDisconnects_Linearize(int seed)
    {
        // The races are short windows: many rounds give each one many chances to go wrong.
        var random = new Random(seed);
        for (var round = 0; round < 10; round++)
        {
            await RaceOnceAsync(random);
        }
    }

    private static async Task RaceOnceAsync(Random random)
    {
        const int Users = 300;
        var time = new FakeTimeProvider(Start);
        var store = NewStore(time);
        var users = Enumerable.Range(0, Users).Select(i => "user-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var connections = users.SelectMany(u => new[] { u + "/a", u + "/b" }).ToArray();
        foreach (var connection in connections)
        {
            await store.AddConnectionAsync(UserOf(connection), connection);
        }

        // Every lease ends now, so the sweep reaps whatever the heartbeats do not reach first.
        time.Advance(Ttl);
        var heartbeats = connections.OrderBy(_ => random.Next()).ToArray();
        var disconnects = connections.Where(_ => random.Next(3) == 0).OrderBy(_ => random.Next()).ToArray();
        var sweepLimit = 1 + random.Next(16);
        var changes = new List<(string User, PresenceChange Change)>[3];
        using (var start = new Barrier(3))
        {
            var threads = new[]
            {
                new Thread(() => changes[0] = Drive(heartbeats, start, (u, c) => store.RefreshConnectionAsync(u, c))),
                new Thread(() => changes[1] = Drive(disconnects, start, (u, c) => store.RemoveConnectionAsync(u, c))),
                new Thread(() => changes[2] = Sweep(store, sweepLimit, start)),
            };
            foreach (var thread in threads)
            {
                thread.Start();
            }

            foreach (var thread in threads)
            {
                thread.Join();
            }
        }

        // Per user, the transitions alternate from "online", so the net count says whether they are
        // online now; a transition reported twice (or lost) would leave it at -1 or 2, or disagree with the store.
        var net = users.ToDictionary(u => u, _ => 1, StringComparer.Ordinal);
        foreach (var (user, change) in changes.SelectMany(c => c))
        {
            net[user] += change switch
            {
                PresenceChange.CameOnline => 1,
                PresenceChange.WentOffline => -1,
                _ => 0,
            };
        }

        Assert.All(net.Values, n => Assert.InRange(n, 0, 1));

        var liveConnections = 0L;
        var disconnected = disconnects.ToHashSet(StringComparer.Ordinal);
        foreach (var user in users)
        {
            // A connection that was heartbeated and never disconnected is live: its heartbeat either
            // extended the lease before the sweep looked, or found it reaped and registered it again.
            var count = await store.GetConnectionCountAsync(user);
            var mine = connections.Where(c => UserOf(c) == user).ToArray();
            var kept = mine.Count(c => !disconnected.Contains(c));
            Assert.InRange(count, kept, mine.Length);
            Assert.Equal(net[user] == 1, count > 0);
            Assert.Equal(net[user] == 1, await store.IsOnlineAsync(user));
            liveConnections += count;
        }

        Assert.Equal(new PresenceCounts(net.Values.Sum(), liveConnections), await store.GetCountsAsync());

        // Whatever survived was heartbeated (or registered again) at the same instant: it all ends one TTL later, exactly.
        time.Advance(Ttl - Resolution);
        Assert.Empty(await SweepAllAsync(store, 100));
        time.Advance(Resolution);
        var last = await SweepAllAsync(store, 100);
        Assert.Equal(users.Where(u => net[u] == 1).Order(StringComparer.Ordinal), last.Select(s => s.UserId).Order(StringComparer.Ordinal));
        Assert.All(last, s => Assert.Equal(time.GetUtcNow(), s.Timestamp));
        Assert.Equal(new PresenceCounts(0, 0), await store.GetCountsAsync());
    }

    private static InMemoryPresenceStore NewStore(TimeProvider time) =>
        new(Options.Create(new PresenceOptions { ConnectionTtl = Ttl }), time);

    private static string UserOf(string connection) => connection[..connection.IndexOf('/', StringComparison.Ordinal)];

    private static async Task<List<SweptUser>> SweepAllAsync(InMemoryPresenceStore store, int limit)
    {
        var swept = new List<SweptUser>();
        SweepResult result;
        do
        {
            result = await store.SweepExpiredAsync(limit);
            Assert.All(result.Users, static u => Assert.True(u.Version > 0));
            swept.AddRange(result.Users.Select(static u => u with { Version = 0 }));
        }
        while (result.HasMore);

        return swept;
    }

    /// <summary>Waits for the start, then runs <paramref name="operation"/> on each connection in turn and records what it reported.</summary>
    private static List<(string, PresenceChange)> Drive(string[] connections, Barrier start, Func<string, string, ValueTask<PresenceTransition>> operation)
    {
        var changes = new List<(string, PresenceChange)>();
        start.SignalAndWait();
        foreach (var connection in connections)
        {
            var user = UserOf(connection);
            changes.Add((user, operation(user, connection).AsTask().GetAwaiter().GetResult().Change));
        }

        return changes;
    }

    private static List<(string, PresenceChange)> Sweep(InMemoryPresenceStore store, int limit, Barrier start)
    {
        var changes = new List<(string, PresenceChange)>();
        start.SignalAndWait();
        SweepResult result;
        do
        {
            result = store.SweepExpiredAsync(limit).AsTask().GetAwaiter().GetResult();
            changes.AddRange(result.Users.Select(u => (u.UserId, PresenceChange.WentOffline)));
        }
        while (result.HasMore);

        return changes;
    }
}
