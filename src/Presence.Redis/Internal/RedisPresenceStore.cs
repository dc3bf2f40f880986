using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// <see cref="IPresenceStore"/> on Redis or Redis Cluster. Every change (connect, disconnect,
/// heartbeat that re-registers, sweep, status) is decided inside one Lua script in one round trip,
/// on Redis's clock, which also decides the user's next version. The parts: <see cref="RedisConnection"/>
/// (connecting, failure translation), <see cref="RedisPresenceKeys"/> (keys), the script replies in
/// <c>Scripts/</c>, <see cref="HeartbeatBatcher"/> and <see cref="HeartbeatSender"/> (coalesced
/// heartbeats), <see cref="ShardSweeper"/> (expiry) and <see cref="DataLossRecovery"/> (putting this
/// node's live connections back when Redis loses its data).
/// </summary>
/// <remarks>See docs/redis.md for the key layout, the scripts and the failure story.</remarks>
internal sealed class RedisPresenceStore : IPresenceStore, IAsyncDisposable
{
    private const string ReadPresence = "read presence";

    private readonly RedisConnection _connection;
    private readonly RedisPresenceKeys _keys;
    private readonly RedisStoreSettings _settings;
    private readonly RedisServerClock _clock = new();
    private readonly TimeProvider _timeProvider;
    private readonly DataLossRecovery _recovery;
    private readonly HeartbeatBatcher _heartbeats;
    private readonly HeartbeatLateness _lateness;
    private readonly ShardSweeper _sweeper;

    /// <param name="connect">Returns the connection; called once, again only after a failed first connect.</param>
    /// <param name="ownsConnection">Whether disposing the store disposes the connection.</param>
    /// <param name="options">Key prefix, shards, batching.</param>
    /// <param name="presenceOptions">
    /// The lease (<see cref="PresenceOptions.ConnectionTtl"/>), <see cref="PresenceOptions.HeartbeatInterval"/>,
    /// <see cref="PresenceOptions.OfflineGracePeriod"/> and <see cref="PresenceOptions.LastSeenRetention"/>.
    /// </param>
    /// <param name="timeProvider">Only measures how long ago a local connection was seen; leases and transitions use Redis time.</param>
    /// <param name="logger">Logs data-loss recovery and background failures.</param>
    /// <param name="meterFactory">Creates the meter of the heartbeat-delay histogram; <see langword="null"/> for a private meter.</param>
    public RedisPresenceStore(
        Func<Task<IConnectionMultiplexer>> connect,
        bool ownsConnection,
        RedisPresenceStoreOptions options,
        PresenceOptions presenceOptions,
        TimeProvider timeProvider,
        ILogger logger,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _settings = new RedisStoreSettings(options, presenceOptions);
        _keys = new RedisPresenceKeys(options.KeyPrefix, options.ExpiryShards);
        _timeProvider = timeProvider;
        _connection = new RedisConnection(connect, ownsConnection, options.KeyPrefix);
        var context = new RedisStoreContext(_connection, _keys, _settings, _clock, timeProvider, logger);
        _recovery = new DataLossRecovery(context, DisconnectAsync);
        _lateness = new HeartbeatLateness(meterFactory, logger, _settings);
        var sender = new HeartbeatSender(context, _recovery, _lateness);
        _heartbeats = new HeartbeatBatcher(options.ExpiryShards, sender.SendAsync);
        _sweeper = new ShardSweeper(context);
    }

    internal RedisPresenceKeys Keys => _keys;

    /// <summary>The node's record of its connections and grace periods; tests check that it stays bounded.</summary>
    internal DataLossRecovery Recovery => _recovery;

    /// <summary>
    /// Test-only: when set, scripts use this value (milliseconds) instead of Redis <c>TIME</c>, so a
    /// test can move the store's clock with a FakeTimeProvider. Production code never sets it.
    /// </summary>
    internal Func<long>? ServerClockOverride
    {
        get => _clock.Override;
        set => _clock.Override = value;
    }

    public async ValueTask<PresenceTransition> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        ThrowIfOwnedByAnother(userId, connectionId);

        var shard = _keys.ShardOf(userId);
        var member = RedisPresenceKeys.Member(userId, connectionId);
        var reply = ConnectReply.Read(await _connection.EvaluateAsync(
            "register a connection",
            RedisScripts.Connect,
            _keys.ForShard(shard),
            [member, _settings.TtlMilliseconds, _clock.Argument(), _recovery.KnownEpoch(shard)],
            cancellationToken).ConfigureAwait(false));
        _recovery.ObserveEpoch(shard, reply.Epoch);
        _recovery.Connections[connectionId] = new LocalConnection(userId, shard, member) { LastSeen = _timeProvider.GetTimestamp() };

        // Open again: a restore must not remove it as closed.
        _recovery.Closed.TryRemove(connectionId, out _);
        return reply.Transition;
    }

    public async ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        ThrowIfOwnedByAnother(userId, connectionId);
        cancellationToken.ThrowIfCancellationRequested();

        // Forget it locally first, so a data-loss restore running now cannot bring it back.
        RedisValue member = default;
        if (_recovery.Connections.TryGetValue(connectionId, out var entry)
            && string.Equals(entry.UserId, userId, StringComparison.Ordinal)
            && _recovery.Connections.TryRemove(new KeyValuePair<string, LocalConnection>(connectionId, entry)))
        {
            entry.Removed = true;
            member = entry.Member;
        }

        if (member.IsNull)
        {
            member = RedisPresenceKeys.Member(userId, connectionId);
        }

        var transition = await DisconnectAsync(_keys.ShardOf(userId), member, userId, "remove a connection").ConfigureAwait(false);
        if (entry is { Removed: true })
        {
            // Only once Redis removed it: a close that failed leaves the lease to expire and be reported.
            Volatile.Write(ref entry.LastSeen, _timeProvider.GetTimestamp());
            _recovery.Closed[connectionId] = entry;
        }

        return transition;
    }

    public ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        _connection.ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<PresenceTransition>(cancellationToken);
        }

        var now = _timeProvider.GetTimestamp();
        if (_recovery.Connections.TryGetValue(connectionId, out var entry))
        {
            if (string.Equals(entry.UserId, userId, StringComparison.Ordinal))
            {
                // The hot path: no allocation, no round trip of its own.
                Volatile.Write(ref entry.LastSeen, now);
                return _heartbeats.Enqueue(PendingRefresh.Rent(entry.Shard, entry.Member));
            }

            ThrowIfOwnedByAnother(userId, connectionId);
        }

        return RefreshUnknownAsync(userId, connectionId, now);
    }

    public ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default) =>
        _sweeper.SweepAsync(maxConnections, cancellationToken);

    public async ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        var unique = DistinctValid(userIds);
        if (unique.Count == 0)
        {
            return [];
        }

        // One HMGET per shard, all in flight together.
        var byShard = GroupByShard(unique);
        var database = await _connection.GetDatabaseAsync(ReadPresence, cancellationToken).ConfigureAwait(false);
        var calls = byShard.Select(pair => (Indexes: pair.Value, Call: database.HashGetAsync(
            _keys.ForShard(pair.Key).Users, [.. pair.Value.Select(i => (RedisValue)unique[i])]))).ToList();
        var online = new bool[unique.Count];
        foreach (var (indexes, call) in calls)
        {
            var counts = await _connection.GuardAsync(ReadPresence, call).ConfigureAwait(false);
            for (var i = 0; i < indexes.Count; i++)
            {
                online[indexes[i]] = !counts[i].IsNull;
            }
        }

        return [.. unique.Where((_, i) => online[i])];
    }

    public async ValueTask<IReadOnlyList<string>> GetAllOnlineAsync(CancellationToken cancellationToken = default)
    {
        var database = await _connection.GetDatabaseAsync(ReadPresence, cancellationToken).ConfigureAwait(false);
        var calls = Enumerable.Range(0, _keys.ShardCount)
            .Select(shard => database.HashKeysAsync(_keys.ForShard(shard).Users))
            .ToList();
        var online = new List<string>();
        foreach (var call in calls)
        {
            foreach (var user in await _connection.GuardAsync(ReadPresence, call).ConfigureAwait(false))
            {
                online.Add(user!);
            }
        }

        return online;
    }

    public async ValueTask<StatusTransition> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceStatus.ThrowIfInvalid(status);
        return StatusReply.Read(await _connection.EvaluateAsync(
            "set a status", RedisScripts.SetStatus, _keys.ForUser(userId), [userId, status, _clock.Argument()], cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        var unique = DistinctValid(userIds);
        if (unique.Count == 0)
        {
            return [];
        }

        // One script call per shard involved, all pipelined: one round trip on a standalone Redis.
        var database = await _connection.GetDatabaseAsync(ReadPresence, cancellationToken).ConfigureAwait(false);
        var clock = _clock.Argument();
        var calls = new List<(List<int> Indexes, Task<RedisResult> Call)>();
        foreach (var (shard, indexes) in GroupByShard(unique))
        {
            var args = new RedisValue[2 + indexes.Count];
            args[0] = clock;
            args[1] = _settings.LastSeenRetentionMilliseconds;
            for (var i = 0; i < indexes.Count; i++)
            {
                args[2 + i] = unique[indexes[i]];
            }

            calls.Add((indexes, database.ScriptEvaluateAsync(RedisScripts.GetPresence, _keys.ForShard(shard).Keys, args)));
        }

        var presence = new UserPresence[unique.Count];
        foreach (var (indexes, call) in calls)
        {
            var reply = PresenceReply.Read(await _connection.GuardAsync(ReadPresence, call).ConfigureAwait(false));
            for (var i = 0; i < indexes.Count; i++)
            {
                presence[indexes[i]] = reply.User(i, unique[indexes[i]]);
            }
        }

        return presence;
    }

    public async ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        const string operation = "read presence counts";
        var database = await _connection.GetDatabaseAsync(operation, cancellationToken).ConfigureAwait(false);
        var calls = Enumerable.Range(0, _keys.ShardCount)
            .Select(shard => (
                Users: database.HashLengthAsync(_keys.ForShard(shard).Users),
                Connections: database.SortedSetLengthAsync(_keys.ForShard(shard).Expiry)))
            .ToList();
        long users = 0;
        long connections = 0;
        foreach (var (usersCall, connectionsCall) in calls)
        {
            users += await _connection.GuardAsync(operation, usersCall).ConfigureAwait(false);
            connections += await _connection.GuardAsync(operation, connectionsCall).ConfigureAwait(false);
        }

        return new PresenceCounts(users, connections);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsDisposed)
        {
            return;
        }

        // Recovery first: its restores still need the connection.
        await _recovery.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _lateness.Dispose();
    }

    /// <summary>Checks every shard in use for lost data now (the periodic check, run on demand by tests).</summary>
    internal Task CheckForDataLossAsync() => _recovery.CheckAsync();

    /// <summary>Validates the ids, then keeps the first occurrence of each, in order.</summary>
    private static List<string> DistinctValid(IReadOnlyCollection<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        foreach (var userId in userIds)
        {
            PresenceId.ThrowIfInvalid(userId, nameof(userIds));
        }

        var unique = new List<string>(userIds.Count);
        var seen = new HashSet<string>(userIds.Count, StringComparer.Ordinal);
        foreach (var userId in userIds)
        {
            if (seen.Add(userId))
            {
                unique.Add(userId);
            }
        }

        return unique;
    }

    private async ValueTask<PresenceTransition> RefreshUnknownAsync(string userId, string connectionId, long now)
    {
        var shard = _keys.ShardOf(userId);
        var entry = new LocalConnection(userId, shard, RedisPresenceKeys.Member(userId, connectionId)) { LastSeen = now };
        var change = await _heartbeats.Enqueue(PendingRefresh.Rent(shard, entry.Member)).ConfigureAwait(false);
        _recovery.Connections[connectionId] = entry;
        _recovery.Closed.TryRemove(connectionId, out _);
        return change;
    }

    /// <summary>Runs the disconnect script; remembers a grace period it started, for a restore after data loss.</summary>
    private async Task<PresenceTransition> DisconnectAsync(int shard, RedisValue member, string userId, string operation)
    {
        var reply = DisconnectReply.Read(await _connection.EvaluateAsync(
            operation, RedisScripts.Disconnect, _keys.ForShard(shard), [member, userId, _settings.GraceMilliseconds, _clock.Argument()]).ConfigureAwait(false));
        if (reply.Outcome == DisconnectOutcome.GraceStarted)
        {
            _recovery.Graces[userId] = new LocalGrace(shard, reply.AtMilliseconds, _timeProvider.GetTimestamp());
        }

        return reply.Transition;
    }

    /// <summary>Indexes into <paramref name="userIds"/>, grouped by the users' shards.</summary>
    private Dictionary<int, List<int>> GroupByShard(List<string> userIds)
    {
        var byShard = new Dictionary<int, List<int>>();
        for (var index = 0; index < userIds.Count; index++)
        {
            var shard = _keys.ShardOf(userIds[index]);
            if (!byShard.TryGetValue(shard, out var indexes))
            {
                byShard[shard] = indexes = [];
            }

            indexes.Add(index);
        }

        return byShard;
    }

    /// <summary>A connection id belongs to one user; this node knows the owners of the connections it registered.</summary>
    private void ThrowIfOwnedByAnother(string userId, string connectionId)
    {
        _connection.ThrowIfDisposed();
        if (_recovery.Connections.TryGetValue(connectionId, out var entry)
            && !string.Equals(entry.UserId, userId, StringComparison.Ordinal)
            && _recovery.IsLive(entry, _timeProvider.GetTimestamp()))
        {
            throw new ArgumentException(
                $"Connection '{connectionId}' is registered to another user; a connection id belongs to one user for its whole life.",
                nameof(connectionId));
        }
    }
}
