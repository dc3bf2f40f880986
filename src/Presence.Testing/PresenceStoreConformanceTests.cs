using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Presence.Testing;

/// <summary>
/// The specification every <see cref="IPresenceStore"/> must meet. Derive from it, implement
/// <see cref="CreateStoreAsync"/>, and every test below runs against your store.
/// </summary>
/// <remarks>
/// Tests never assume the store is empty: ids come from <see cref="NewUserId"/> and
/// <see cref="NewConnectionId"/>, store-wide counts are compared before and after, and lists of
/// online users are checked with Contains/DoesNotContain. Count deltas do assume nobody else writes
/// to the same store namespace while a test runs.
/// </remarks>
public abstract partial class PresenceStoreConformanceTests : IAsyncLifetime
{
    /// <summary>The lease every test uses unless it sets <see cref="Options"/> itself.</summary>
    protected static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    private static readonly DateTimeOffset s_start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _prefix = "pc" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<IPresenceStore> _stores = [];

    /// <summary>The clock of this test's stores. Advance it only through <see cref="AdvanceAsync"/>.</summary>
    protected FakeTimeProvider Time { get; } = new(s_start);

    /// <summary>The options passed to <see cref="CreateStoreAsync"/> by <see cref="NewStoreAsync"/>.</summary>
    protected PresenceOptions Options { get; } = new()
    {
        HeartbeatInterval = TimeSpan.FromSeconds(25),
        ConnectionTtl = Ttl,
        SweepInterval = TimeSpan.FromSeconds(1),
        SweepBatchSize = 1000,
    };

    /// <summary>
    /// The smallest step of the store's clock: the boundary test checks a connection is still alive
    /// this long before its TTL runs out. One tick by default; a store keeping milliseconds overrides it.
    /// </summary>
    protected virtual TimeSpan TimeResolution => TimeSpan.FromTicks(1);

    /// <summary>How many threads the generic concurrency test runs.</summary>
    protected virtual int ConcurrencyThreadCount => 4;

    /// <summary>How many store operations the generic concurrency test runs in total (over all threads).</summary>
    protected virtual int ConcurrencyOperationCount => 4000;

    /// <summary>
    /// Creates a fresh store under test. Called once per test, or twice for two "nodes" sharing one
    /// backend (a store that cannot share may return a second view of the same backend, or the same instance).
    /// </summary>
    /// <param name="options">The options (ConnectionTtl etc.).</param>
    /// <param name="timeProvider">The clock the suite advances through <see cref="AdvanceTimeAsync"/>.</param>
    /// <returns>The store.</returns>
    protected abstract ValueTask<IPresenceStore> CreateStoreAsync(PresenceOptions options, FakeTimeProvider timeProvider);

    /// <summary>
    /// Moves time forward for the stores created with <paramref name="timeProvider"/>. A store whose
    /// clock is not the <see cref="TimeProvider"/> (for example a server's clock) overrides this.
    /// </summary>
    /// <param name="timeProvider">The clock passed to <see cref="CreateStoreAsync"/>.</param>
    /// <param name="by">How far to move.</param>
    /// <returns>A task that completes when the stores see the new time.</returns>
    protected virtual ValueTask AdvanceTimeAsync(FakeTimeProvider timeProvider, TimeSpan by)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        timeProvider.Advance(by);
        return ValueTask.CompletedTask;
    }

    /// <summary>A user id unique to this test instance (and run).</summary>
    /// <param name="name">A readable suffix.</param>
    /// <returns>The id.</returns>
    protected string NewUserId(string name) => $"{_prefix}-u-{name}";

    /// <summary>A connection id unique to this test instance (and run).</summary>
    /// <param name="name">A readable suffix.</param>
    /// <returns>The id.</returns>
    protected string NewConnectionId(string name) => $"{_prefix}-c-{name}";

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        // Two "nodes" may be the same instance; dispose each once.
        foreach (var store in _stores.Distinct(ReferenceEqualityComparer.Instance).Cast<IPresenceStore>())
        {
            switch (store)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <summary>Creates a store (or another node of the same backend) with <see cref="Options"/> and <see cref="Time"/>.</summary>
    /// <returns>The store, disposed after the test.</returns>
    protected async Task<IPresenceStore> NewStoreAsync()
    {
        var store = await CreateStoreAsync(Options, Time);
        _stores.Add(store);
        return store;
    }

    /// <summary>Creates a store (or another node) with <see cref="PresenceOptions.OfflineGracePeriod"/> set to <see cref="Grace"/>.</summary>
    /// <returns>The store, disposed after the test.</returns>
    protected Task<IPresenceStore> NewGraceStoreAsync()
    {
        Options.OfflineGracePeriod = Grace;
        return NewStoreAsync();
    }

    /// <summary>Connects <paramref name="userId"/> on one connection and closes it, so a store with a grace period parks the user.</summary>
    /// <param name="store">The store.</param>
    /// <param name="userId">The user.</param>
    /// <param name="connectionId">The connection opened and closed.</param>
    /// <returns>The time of the disconnect.</returns>
    protected async Task<DateTimeOffset> ConnectThenDisconnectAsync(IPresenceStore store, string userId, string connectionId)
    {
        ArgumentNullException.ThrowIfNull(store);
        await store.AddConnectionAsync(userId, connectionId);
        var disconnectedAt = Time.GetUtcNow();
        await store.RemoveConnectionAsync(userId, connectionId);
        return disconnectedAt;
    }

    /// <summary>Gives each user one connection on each of two nodes (<c>c{i}-a</c> and <c>c{i}-b</c>).</summary>
    /// <param name="nodeA">The first node.</param>
    /// <param name="nodeB">The second node.</param>
    /// <param name="users">The users.</param>
    /// <returns>A task.</returns>
    protected async Task ConnectOnTwoNodesAsync(IPresenceStore nodeA, IPresenceStore nodeB, string[] users)
    {
        ArgumentNullException.ThrowIfNull(nodeA);
        ArgumentNullException.ThrowIfNull(nodeB);
        ArgumentNullException.ThrowIfNull(users);
        for (var i = 0; i < users.Length; i++)
        {
            await nodeA.AddConnectionAsync(users[i], NewConnectionId($"c{i}-a"));
            await nodeB.AddConnectionAsync(users[i], NewConnectionId($"c{i}-b"));
        }
    }

    /// <summary>Moves this test's clock forward.</summary>
    /// <param name="by">How far.</param>
    /// <returns>A task that completes when the stores see the new time.</returns>
    protected async Task AdvanceAsync(TimeSpan by) => await AdvanceTimeAsync(Time, by);

    /// <summary>Sweeps until the store reports nothing more, and returns every expired user reported.</summary>
    /// <param name="store">The store.</param>
    /// <returns>The expired users, in the order reported (duplicates kept, so tests can catch them).</returns>
    protected static async Task<List<string>> SweepAllAsync(IPresenceStore store) =>
        [.. (await SweepAllUsersAsync(store)).Select(static u => u.UserId)];

    /// <summary>Sweeps until the store reports nothing more, and returns every user reported, with reason and timestamp.</summary>
    /// <param name="store">The store.</param>
    /// <returns>The users reported, in order (duplicates kept, so tests can catch them).</returns>
    protected static async Task<List<SweptUser>> SweepAllUsersAsync(IPresenceStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var swept = new List<SweptUser>();
        for (var i = 0; i < 10_000; i++)
        {
            var result = await store.SweepExpiredAsync(1000);
            Assert.All(result.Users, static u => Assert.True(u.Version > 0, $"The sweep reported {u.UserId} offline without a version."));

            // Versions are checked on their own (see the Versions tests); callers compare the rest.
            swept.AddRange(result.Users.Select(static u => u with { Version = 0 }));
            if (!result.HasMore)
            {
                return swept;
            }
        }

        Assert.Fail("SweepExpiredAsync kept reporting HasMore.");
        return swept;
    }

    /// <summary>Asserts everything <see cref="IPresenceStore.GetPresenceAsync"/> and the single-user reads say about one user.</summary>
    /// <param name="store">The store.</param>
    /// <param name="expected">The expected presence.</param>
    /// <returns>A task.</returns>
    protected static async Task AssertPresenceAsync(IPresenceStore store, UserPresence expected)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(expected);
        var actual = Assert.Single(await store.GetPresenceAsync([expected.UserId]));
        if (actual.IsOnline)
        {
            Assert.True(actual.Version > 0, $"{expected.UserId} is online with version {actual.Version}.");
        }

        // Version 0 in the expectation means "any": versions are checked on their own (see the Versions tests).
        Assert.Equal(expected.Version == 0 ? expected with { Version = actual.Version } : expected, actual);
        Assert.Equal(expected.IsOnline, await store.IsOnlineAsync(expected.UserId));
        Assert.Equal(expected.ConnectionCount, await store.GetConnectionCountAsync(expected.UserId));
        Assert.Equal(expected.IsOnline ? [expected.UserId] : [], await store.GetOnlineAsync([expected.UserId]));
    }

    /// <summary>Asserts the user's online flag and live connection count agree with <paramref name="connections"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="userId">The user.</param>
    /// <param name="connections">The expected number of live connections.</param>
    /// <returns>A task.</returns>
    protected static async Task AssertUserAsync(IPresenceStore store, string userId, int connections)
    {
        ArgumentNullException.ThrowIfNull(store);
        Assert.Equal(connections > 0, await store.IsOnlineAsync(userId));
        Assert.Equal(connections, await store.GetConnectionCountAsync(userId));
    }

    /// <summary>Asserts the store-wide counts moved by exactly the given amounts since <paramref name="before"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="before">The counts taken earlier.</param>
    /// <param name="onlineUsers">The expected change of online users.</param>
    /// <param name="connections">The expected change of live connections.</param>
    /// <returns>A task.</returns>
    protected static async Task AssertCountsDeltaAsync(IPresenceStore store, PresenceCounts before, long onlineUsers, long connections)
    {
        ArgumentNullException.ThrowIfNull(store);
        var after = await store.GetCountsAsync();
        Assert.Equal(new PresenceCounts(onlineUsers, connections), new PresenceCounts(after.OnlineUsers - before.OnlineUsers, after.Connections - before.Connections));
    }
}
