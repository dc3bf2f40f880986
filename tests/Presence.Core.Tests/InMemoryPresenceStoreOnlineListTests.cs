using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Presence.Internal;

namespace Presence.Core.Tests;

/// <summary>
/// <c>GetAllOnlineAsync</c> lists each shard's online users from arrays with swap-remove: whatever
/// order users come and go in, through the grace period and expiry, the list must be exactly who is online.
/// </summary>
public sealed class InMemoryPresenceStoreOnlineListTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(2_024)]
    public async Task GetAllOnline_IsExactlyTheOnlineUsers_ThroughRandomComingsAndGoings(int seed)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new PresenceOptions { ConnectionTtl = TimeSpan.FromSeconds(30), OfflineGracePeriod = TimeSpan.FromSeconds(5) };
        var store = new InMemoryPresenceStore(Options.Create(options), time);
        var random = new Random(seed);

        // The model: each user's open connections, and when each user's grace period ends.
        var connections = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var graceEnds = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var next = 0;
        for (var step = 0; step < 6_000; step++)
        {
            var user = "user-" + random.Next(700);
            var open = connections.TryGetValue(user, out var set) ? set : connections[user] = [];
            var roll = random.Next(100);
            if (roll < 50 || open.Count == 0)
            {
                var connection = "conn-" + next++;
                await store.AddConnectionAsync(user, connection);
                open.Add(connection);
                graceEnds.Remove(user);
            }
            else if (roll < 95)
            {
                var connection = open.ElementAt(random.Next(open.Count));
                await store.RemoveConnectionAsync(user, connection);
                open.Remove(connection);
                if (open.Count == 0)
                {
                    graceEnds[user] = time.GetUtcNow() + options.OfflineGracePeriod;
                }
            }
            else
            {
                // Past the grace periods (not the leases: every connection was opened within the last TTL or refreshed below).
                time.Advance(TimeSpan.FromSeconds(6));
                foreach (var (id, live) in connections)
                {
                    foreach (var connection in live)
                    {
                        await store.RefreshConnectionAsync(id, connection);
                    }
                }

                await store.SweepExpiredAsync(int.MaxValue);
                foreach (var ended in graceEnds.Where(g => g.Value <= time.GetUtcNow()).Select(g => g.Key).ToList())
                {
                    graceEnds.Remove(ended);
                }
            }

            if (step % 500 == 0 || step == 5_999)
            {
                var expected = connections.Where(c => c.Value.Count > 0).Select(c => c.Key).Concat(graceEnds.Keys).Order(StringComparer.Ordinal);
                var actual = (await store.GetAllOnlineAsync()).Order(StringComparer.Ordinal);
                Assert.Equal(expected, actual);
            }
        }

        // Everyone leaves and every grace period ends: nobody is listed, and the arrays emptied cleanly.
        foreach (var (user, live) in connections)
        {
            foreach (var connection in live.ToList())
            {
                await store.RemoveConnectionAsync(user, connection);
            }
        }

        time.Advance(TimeSpan.FromSeconds(6));
        await store.SweepExpiredAsync(int.MaxValue);
        Assert.Empty(await store.GetAllOnlineAsync());
        Assert.Equal(0, (await store.GetCountsAsync()).OnlineUsers);
    }
}
