using System.Globalization;
using Xunit;

namespace Presence.Testing;

/// <summary>
/// A randomized, seeded property test for any store: several threads connect, disconnect, ping and
/// sweep a small set of users at once while time moves on between rounds. Afterwards, per user, the
/// transitions the store reported must alternate (onlines = offlines + 1 if online at the end), and
/// the store's final state must match a model of which connections are live.
/// </summary>
/// <remarks>
/// Each connection id is driven by one thread only, so that thread knows the connection's last
/// connect/ping time; sweeps run on any thread. Time moves only between rounds and in steps of a
/// quarter TTL, so no lease ends "during" a round, even for a store whose clock keeps running.
/// </remarks>
public sealed class PresenceConcurrencyScenario
{
    /// <summary>The seed; the same seed gives every thread the same sequence of operations.</summary>
    public required int Seed { get; init; }

    /// <summary>The number of threads.</summary>
    public required int Threads { get; init; }

    /// <summary>The number of store operations each thread runs.</summary>
    public required int OperationsPerThread { get; init; }

    /// <summary>The number of distinct users the connections belong to.</summary>
    public required int Users { get; init; }

    /// <summary>The number of connection ids each thread drives.</summary>
    public int ConnectionsPerThread { get; init; } = 6;

    /// <summary>The number of rounds; time moves between them.</summary>
    public int Rounds { get; init; } = 10;

    /// <summary>The store's connection TTL.</summary>
    public required TimeSpan Ttl { get; init; }

    /// <summary>The store's offline grace period (<see cref="PresenceOptions.OfflineGracePeriod"/>); zero for none.</summary>
    public TimeSpan Grace { get; init; }

    /// <summary>Makes a user id unique to the test.</summary>
    public required Func<string, string> NewUserId { get; init; }

    /// <summary>Makes a connection id unique to the test.</summary>
    public required Func<string, string> NewConnectionId { get; init; }

    /// <summary>Moves the store's clock forward.</summary>
    public required Func<TimeSpan, Task> AdvanceTime { get; init; }

    /// <summary>Runs the scenario against <paramref name="store"/> and asserts the per-user invariants.</summary>
    /// <param name="store">The store under test.</param>
    /// <returns>The model's totals at the end, for the caller to compare with the store's counters.</returns>
    public async Task<PresenceCounts> RunAsync(IPresenceStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var users = Enumerable.Range(0, Users).Select(i => NewUserId("cc" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        var drivers = Enumerable.Range(0, Threads).Select(t => new Driver(this, store, users, t)).ToArray();
        var quantum = Ttl / 4;
        var now = TimeSpan.Zero;
        var clock = new Random(Seed);

        for (var round = 0; round < Rounds; round++)
        {
            var operations = (OperationsPerThread / Rounds) + (round < OperationsPerThread % Rounds ? 1 : 0);
            var roundNow = now;
            await Task.WhenAll(drivers.Select(d => Task.Run(() => d.RunRoundAsync(round, operations, roundNow))));
            var step = quantum * clock.Next(0, 5);
            await AdvanceTime(step);
            now += step;
        }

        // No thread runs any more: once every grace period has ended, one last sweep removes every
        // lease that ran out and ends every grace period, so "online" means "has a live connection" again.
        if (Grace > TimeSpan.Zero)
        {
            await AdvanceTime(Grace);
            now += Grace;
        }

        var finalSweep = new Driver(this, store, users, Threads);
        await finalSweep.SweepUntilDoneAsync();

        var transitions = users.ToDictionary(u => u, _ => (Online: 0, Offline: 0), StringComparer.Ordinal);
        foreach (var driver in drivers.Append(finalSweep))
        {
            foreach (var (user, online, offline) in driver.Transitions())
            {
                var t = transitions[user];
                transitions[user] = (t.Online + online, t.Offline + offline);
            }
        }

        var expectedConnections = users.ToDictionary(u => u, _ => 0, StringComparer.Ordinal);
        foreach (var driver in drivers)
        {
            foreach (var user in driver.LiveConnectionOwners(now))
            {
                expectedConnections[user]++;
            }
        }

        var context = $"(seed {Seed})";
        var onlineUsers = 0;
        foreach (var user in users)
        {
            var expected = expectedConnections[user];
            var (online, offline) = transitions[user];
            var isOnline = expected > 0;
            onlineUsers += isOnline ? 1 : 0;
            Assert.True(
                online == offline + (isOnline ? 1 : 0),
                $"{context} {user}: {online} onlines and {offline} offlines reported, but the user is {(isOnline ? "online" : "offline")} at the end.");
            Assert.True(await store.IsOnlineAsync(user) == isOnline, $"{context} {user}: IsOnline should be {isOnline}.");
            Assert.True(
                await store.GetConnectionCountAsync(user) == expected,
                $"{context} {user}: expected {expected} live connections, store says {await store.GetConnectionCountAsync(user)}.");
        }

        AssertHistories(users, drivers.Append(finalSweep).SelectMany(static d => d.History).ToList(), context);

        var modelOnline = users.Where(u => expectedConnections[u] > 0).ToArray();
        Assert.Equal(modelOnline, await store.GetOnlineAsync(users));
        return new PresenceCounts(onlineUsers, expectedConnections.Values.Sum());
    }

    /// <summary>
    /// Checks every user's history, gathered from all threads in no particular order: ordered by
    /// version, the versions are distinct, the transitions alternate starting with online (exactly
    /// one event per transition), and the store's decision times never go backwards.
    /// </summary>
    private static void AssertHistories(string[] users, List<(string User, PresenceChange Change, long Version, DateTimeOffset Timestamp)> history, string context)
    {
        foreach (var user in users)
        {
            var ordered = history.Where(h => h.User == user).OrderBy(static h => h.Version).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var (_, change, version, timestamp) = ordered[i];
                var expected = i % 2 == 0 ? PresenceChange.CameOnline : PresenceChange.WentOffline;
                Assert.True(change == expected, $"{context} {user}: transition {i} (version {version}) is {change}, expected {expected}.");
                Assert.True(version > 0, $"{context} {user}: transition {i} has version {version}.");
                if (i > 0)
                {
                    Assert.True(version > ordered[i - 1].Version, $"{context} {user}: version {version} reported twice.");
                    Assert.True(
                        timestamp >= ordered[i - 1].Timestamp,
                        $"{context} {user}: version {version} was decided at {timestamp:O}, before version {ordered[i - 1].Version} at {ordered[i - 1].Timestamp:O}.");
                }
            }
        }
    }

    /// <summary>One thread's connections, random sequence and observed transitions.</summary>
    private sealed class Driver(PresenceConcurrencyScenario scenario, IPresenceStore store, string[] users, int index)
    {
        private readonly string[] _connections = Enumerable.Range(0, scenario.ConnectionsPerThread)
            .Select(k => scenario.NewConnectionId(string.Create(CultureInfo.InvariantCulture, $"cc{index}-{k}")))
            .ToArray();

        // When each connection was last connected or pinged; null when closed (or never opened).
        private readonly TimeSpan?[] _lastRefresh = new TimeSpan?[scenario.ConnectionsPerThread];
        private readonly Dictionary<string, int> _onlines = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _offlines = new(StringComparer.Ordinal);
        private readonly List<(string User, PresenceChange Change, long Version, DateTimeOffset Timestamp)> _history = [];

        public IEnumerable<(string User, PresenceChange Change, long Version, DateTimeOffset Timestamp)> History => _history;

        public async Task RunRoundAsync(int round, int operations, TimeSpan now)
        {
            var random = new Random(unchecked((scenario.Seed * 7919) + (index * 104_729) + round));
            for (var i = 0; i < operations; i++)
            {
                var k = random.Next(_connections.Length);
                var user = OwnerOf(k);
                var roll = random.Next(100);
                if (roll < 30)
                {
                    Record(user, await store.AddConnectionAsync(user, _connections[k]));
                    _lastRefresh[k] = now;
                }
                else if (roll < 60)
                {
                    Record(user, await store.RemoveConnectionAsync(user, _connections[k]));
                    _lastRefresh[k] = null;
                }
                else if (roll < 92)
                {
                    Record(user, await store.RefreshConnectionAsync(user, _connections[k]));
                    _lastRefresh[k] = now;
                }
                else
                {
                    var limit = random.Next(1, 5);
                    RecordExpired(await store.SweepExpiredAsync(limit), limit);
                }
            }
        }

        public async Task SweepUntilDoneAsync()
        {
            SweepResult result;
            var calls = 0;
            do
            {
                result = await store.SweepExpiredAsync(7);
                RecordExpired(result, 7);
                Assert.True(++calls < 100_000, "SweepExpiredAsync kept reporting HasMore.");
            }
            while (result.HasMore);
        }

        public IEnumerable<string> LiveConnectionOwners(TimeSpan now)
        {
            for (var k = 0; k < _connections.Length; k++)
            {
                if (_lastRefresh[k] is { } refreshed && refreshed + scenario.Ttl > now)
                {
                    yield return OwnerOf(k);
                }
            }
        }

        public IEnumerable<(string User, int Online, int Offline)> Transitions() =>
            _onlines.Keys.Union(_offlines.Keys).Select(u => (u, _onlines.GetValueOrDefault(u), _offlines.GetValueOrDefault(u)));

        // Spreads each thread's connections over the users, so every user has connections on several threads.
        private string OwnerOf(int k) => users[((index * scenario.ConnectionsPerThread) + k) % users.Length];

        private void Record(string user, PresenceTransition transition)
        {
            if (transition.Change != PresenceChange.None)
            {
                _history.Add((user, transition.Change, transition.Version, transition.Timestamp));
            }

            Count(user, transition.Change);
        }

        private void Count(string user, PresenceChange change)
        {
            if (change == PresenceChange.CameOnline)
            {
                _onlines[user] = _onlines.GetValueOrDefault(user) + 1;
            }
            else if (change == PresenceChange.WentOffline)
            {
                _offlines[user] = _offlines.GetValueOrDefault(user) + 1;
            }
        }

        private void RecordExpired(SweepResult result, int limit)
        {
            Assert.InRange(result.RemovedConnections, 0, limit);
            if (scenario.Grace == TimeSpan.Zero)
            {
                // Without grace periods only expiries take users offline in a sweep.
                Assert.InRange(result.Users.Count, 0, result.RemovedConnections);
                Assert.All(result.Users, u => Assert.Equal(OfflineReason.Expired, u.Reason));
            }
            else
            {
                // An ended grace period takes a user offline without removing a connection, but counts against the limit.
                Assert.InRange(result.Users.Count, 0, limit);
            }

            foreach (var user in result.Users)
            {
                // A store shared with other tests may expire their users too; only ours are counted.
                if (Array.IndexOf(users, user.UserId) >= 0)
                {
                    Record(user.UserId, PresenceTransition.WentOffline(user.Version, user.Timestamp));
                }
            }
        }
    }
}
