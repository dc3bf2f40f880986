using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// <see cref="IPresenceStore"/> on Redis or Redis Cluster, with node leases. Every change (connect,
/// disconnect, expiry, a dead node's sweep, status) is decided inside one Lua script in one round
/// trip, on Redis's clock, which also decides the user's next version. Heartbeats never reach Redis:
/// the node keeps its connections' leases in memory (<see cref="LocalNode"/>) and renews one lease of
/// its own per shard (<see cref="LeaseRenewer"/>); its sweep expires its silent connections, and any
/// node's sweep removes all connections of a node whose lease ended (<see cref="ShardSweeper"/>).
/// <see cref="DataLossRecovery"/> puts this node's record back when Redis loses its data.
/// </summary>
/// <remarks>See docs/redis.md for the key layout, the scripts and the failure story.</remarks>
internal sealed class RedisPresenceStore : IPresenceStore, IPresenceResyncSource, IAsyncDisposable
{
    private const string ReadPresence = "read presence";
    private const int RegisterAttempts = 4;

    private readonly RedisConnection _connection;
    private readonly RedisPresenceKeys _keys;
    private readonly RedisStoreSettings _settings;
    private readonly RedisServerClock _clock = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly LocalNode _node;
    private readonly DataLossRecovery _recovery;
    private readonly HeartbeatLateness _lateness;
    private readonly LeaseRenewer _renewer;
    private readonly ShardSweeper _sweeper;
    private readonly ResyncSchedule _resync;

    /// <param name="connect">Returns the connection; called once, again only after a failed first connect.</param>
    /// <param name="ownsConnection">Whether disposing the store disposes the connection.</param>
    /// <param name="options">Key prefix, shards, batching.</param>
    /// <param name="presenceOptions">
    /// The lease (<see cref="PresenceOptions.ConnectionTtl"/>), <see cref="PresenceOptions.HeartbeatInterval"/>,
    /// <see cref="PresenceOptions.OfflineGracePeriod"/> and <see cref="PresenceOptions.LastSeenRetention"/>.
    /// </param>
    /// <param name="timeProvider">Measures the node's connection leases and drives the lease renewal; transitions use Redis time.</param>
    /// <param name="logger">Logs lease and data-loss recovery and background failures.</param>
    /// <param name="meterFactory">Creates the meter of the lease-renewal histogram; <see langword="null"/> for a private meter.</param>
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
        _logger = logger;
        _connection = new RedisConnection(connect, ownsConnection, options.KeyPrefix);
        var context = new RedisStoreContext(_connection, _keys, _settings, _clock, timeProvider, logger);
        _node = new LocalNode(_keys);

        // After a restore, or a reconnect (publications meanwhile may be lost), once the shard settled (within two
        // heartbeat intervals every live node has put its connections back) and two sweeps ended what it held back.
        _resync = new ResyncSchedule(timeProvider, RaiseResyncRequested);
        _connection.Restored += () => _resync.After(_settings.ResyncDelay);
        _connection.ResyncAsked += () => _resync.After(_settings.ResyncOnRequestDelay);
        _recovery = new DataLossRecovery(context, _node, () => _resync.After(_settings.ResyncDelay));
        _lateness = new HeartbeatLateness(meterFactory, logger, _settings);
        _renewer = new LeaseRenewer(context, _node, _recovery, _lateness);
        _sweeper = new ShardSweeper(context, _node, _recovery);
    }

    /// <summary>
    /// Raised two heartbeat intervals and two sweep intervals after this node restored a shard that lost its data, or after its
    /// connection to Redis came back: by then every live node has put its connections back, so a snapshot
    /// read now is whole.
    /// </summary>
    public event EventHandler? ResyncRequested;

    internal RedisPresenceKeys Keys => _keys;

    /// <summary>What the node holds: its connections, grace periods and leases; tests check it stays bounded.</summary>
    internal LocalNode Node => _node;

    /// <summary>The data-loss recovery; tests start restores through it.</summary>
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
        cancellationToken.ThrowIfCancellationRequested();

        var now = _timeProvider.GetTimestamp();
        var entry = new LocalConnection(userId, _keys.ShardOf(userId)) { LastSeen = now };
        while (!_node.Connections.TryAdd(connectionId, entry))
        {
            if (!_node.Connections.TryGetValue(connectionId, out var existing))
            {
                continue;
            }

            if (string.Equals(existing.UserId, userId, StringComparison.Ordinal) && Volatile.Read(ref existing.State) != LocalConnectionState.Gone)
            {
                // Registered already (or being registered): a second connect of one connection changes nothing.
                Interlocked.Exchange(ref existing.LastSeen, now);
                return _node.IsCounted(existing) || Volatile.Read(ref existing.State) == LocalConnectionState.Registering
                    ? PresenceTransition.None
                    : await RefreshSlowAsync(userId, connectionId, existing, now, cancellationToken).ConfigureAwait(false);
            }

            // A connection of another user that expired, or one on its way out: this one replaces it.
            if (_node.Connections.TryUpdate(connectionId, entry, existing))
            {
                break;
            }
        }

        return await RegisterNewAsync(connectionId, entry, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        ThrowIfOwnedByAnother(userId, connectionId);
        cancellationToken.ThrowIfCancellationRequested();

        if (!_node.Connections.TryGetValue(connectionId, out var entry) || !string.Equals(entry.UserId, userId, StringComparison.Ordinal))
        {
            return PresenceTransition.None;
        }

        var shard = entry.Shard;
        var gate = _node.Gate(shard);
        await gate.EnterAsync().ConfigureAwait(false);
        DisconnectReply reply;
        try
        {
            if (!_node.Connections.TryRemove(new KeyValuePair<string, LocalConnection>(connectionId, entry))
                || Interlocked.Exchange(ref entry.State, LocalConnectionState.Gone) != LocalConnectionState.Registered)
            {
                // Taken by the sweep, or not counted yet: whoever holds it reports it.
                return PresenceTransition.None;
            }

            var lease = entry.Lease;
            if (lease is null || !ReferenceEquals(lease, _node.Lease(shard)))
            {
                // Counted under a lease that was lost: the sweep that took it reported the user.
                return PresenceTransition.None;
            }

            try
            {
                reply = DisconnectReply.Read(await _connection.EvaluateAsync(
                    "remove a connection",
                    RedisScripts.Disconnect,
                    lease.Keys,
                    [lease.Id, entry.User, _settings.GraceMilliseconds, _clock.Argument(), _settings.TtlMilliseconds, _node.KnownEpoch(shard), _settings.SettleMilliseconds],
                    CancellationToken.None).ConfigureAwait(false));
            }
            catch (PresenceStoreUnavailableException)
            {
                // Still counted in Redis: the next sweep removes it as expired, and reports its user then.
                Volatile.Write(ref entry.LastSeen, long.MinValue / 2);
                _sweeper.RetryLater(entry);
                throw;
            }

            switch (reply.Outcome)
            {
                case DisconnectOutcome.GraceStarted:
                    _node.Graces[userId] = new LocalGrace(shard, reply.AtMilliseconds, _timeProvider.GetTimestamp() + ToTimestampTicks(_settings.Grace));
                    break;
                case DisconnectOutcome.DataLost:
                    _node.HoldAsGrace(userId, shard, _timeProvider, _settings);
                    break;
                case DisconnectOutcome.LeaseLost:
                    ReplaceLostLease(shard, lease);
                    break;
            }
        }
        finally
        {
            gate.Exit();
        }

        if (reply.Outcome == DisconnectOutcome.DataLost)
        {
            await _recovery.RestoreAsync(shard).ConfigureAwait(false);
        }

        return reply.Transition;
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
        if (_node.Connections.TryGetValue(connectionId, out var entry))
        {
            if (string.Equals(entry.UserId, userId, StringComparison.Ordinal))
            {
                // The hot path: the lease is in this node's memory. No allocation, no round trip.
                // Stamp, then read the state (the sweep sets the state, then reads the stamp).
                Interlocked.Exchange(ref entry.LastSeen, now);
                if (_node.IsCounted(entry))
                {
                    return default;
                }

                return RefreshSlowAsync(userId, connectionId, entry, now, cancellationToken);
            }

            ThrowIfOwnedByAnother(userId, connectionId);
        }

        return RefreshSlowAsync(userId, connectionId, null, now, cancellationToken);
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

        var online = new bool[unique.Count];
        var database = await _connection.GetDatabaseAsync(ReadPresence, cancellationToken).ConfigureAwait(false);
        var calls = new List<(List<int> Indexes, Task<RedisResult> Call)>();
        foreach (var group in GroupForScripts(unique))
        {
            calls.Add((group.Indexes, database.ScriptEvaluateAsync(RedisScripts.GetOnline, group.Keys, group.UserArgs(unique, 0))));
        }

        foreach (var (indexes, call) in calls)
        {
            var reply = (RedisResult[])(await _connection.GuardAsync(ReadPresence, call).ConfigureAwait(false))!;
            for (var i = 0; i < indexes.Count; i++)
            {
                online[indexes[i]] = (int)reply[i] == 1;
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
            "set a status",
            RedisScripts.SetStatus,
            _keys.ForUser(userId),
            [userId, status, _clock.Argument(), _settings.TtlMilliseconds, _node.KnownEpoch(_keys.ShardOf(userId)), _settings.SettleMilliseconds],
            cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        var unique = DistinctValid(userIds);
        if (unique.Count == 0)
        {
            return [];
        }

        // One script call for every shard on a standalone Redis, one per shard on a cluster; all pipelined.
        var database = await _connection.GetDatabaseAsync(ReadPresence, cancellationToken).ConfigureAwait(false);
        var clock = _clock.Argument();
        var calls = new List<(List<int> Indexes, Task<RedisResult> Call)>();
        foreach (var group in GroupForScripts(unique))
        {
            var args = group.UserArgs(unique, 2);
            args[0] = clock;
            args[1] = _settings.LastSeenRetentionMilliseconds;
            calls.Add((group.Indexes, database.ScriptEvaluateAsync(RedisScripts.GetPresence, group.Keys, args)));
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
                Connections: database.HashValuesAsync(_keys.ForShard(shard).Connections)))
            .ToList();
        long users = 0;
        long connections = 0;
        foreach (var (usersCall, connectionsCall) in calls)
        {
            users += await _connection.GuardAsync(operation, usersCall).ConfigureAwait(false);
            foreach (var count in await _connection.GuardAsync(operation, connectionsCall).ConfigureAwait(false))
            {
                connections += (long)count;
            }
        }

        return new PresenceCounts(users, connections);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsDisposed)
        {
            return;
        }

        // The renewals and restores first: they still need the connection.
        _resync.Dispose();
        await _renewer.DisposeAsync().ConfigureAwait(false);
        await _recovery.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _lateness.Dispose();
    }

    private void RaiseResyncRequested()
    {
        try
        {
            ResyncRequested?.Invoke(this, EventArgs.Empty);
        }
#pragma warning disable CA1031 // A handler's failure must not end the store's timers; it is logged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.ResyncHandlerFailed(_logger, exception);
        }
    }

    /// <summary>Renews the node's leases now, which also notices lost data and lost leases (the periodic renewal, run on demand by tests).</summary>
    internal Task CheckForDataLossAsync() => _renewer.RenewAsync();

    private long ToTimestampTicks(TimeSpan span) => span <= TimeSpan.Zero ? 0 : (long)(span.TotalSeconds * _timeProvider.TimestampFrequency);

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

    /// <summary>
    /// A heartbeat (or a second connect) of a connection not counted under the node's current lease:
    /// unknown to this node, taken by the sweep, or counted under a lease that was lost. Registers it,
    /// and reports the user coming online when it did.
    /// </summary>
    private async ValueTask<PresenceTransition> RefreshSlowAsync(string userId, string connectionId, LocalConnection? entry, long now, CancellationToken cancellationToken)
    {
        if (entry is not null
            && Interlocked.CompareExchange(ref entry.State, LocalConnectionState.Registering, LocalConnectionState.Registered) == LocalConnectionState.Registered)
        {
            // Counted under a lease that was lost: register it again under the current one.
            try
            {
                return await RegisterAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Volatile.Write(ref entry.State, LocalConnectionState.Registered);
                throw;
            }
        }

        if (entry is not null && Volatile.Read(ref entry.State) == LocalConnectionState.Registering)
        {
            return PresenceTransition.None;
        }

        var fresh = new LocalConnection(userId, _keys.ShardOf(userId)) { LastSeen = now };
        var added = entry is null ? _node.Connections.TryAdd(connectionId, fresh) : _node.Connections.TryUpdate(connectionId, fresh, entry);
        return added ? await RegisterNewAsync(connectionId, fresh, cancellationToken).ConfigureAwait(false) : PresenceTransition.None;
    }

    /// <summary>Registers a connection just added to the node's map; takes it out again when that fails.</summary>
    private async ValueTask<PresenceTransition> RegisterNewAsync(string connectionId, LocalConnection entry, CancellationToken cancellationToken)
    {
        try
        {
            return await RegisterAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _node.Connections.TryRemove(new KeyValuePair<string, LocalConnection>(connectionId, entry));
            throw;
        }
    }

    /// <summary>
    /// Runs the connect script for <paramref name="entry"/> (state <see cref="LocalConnectionState.Registering"/>)
    /// under the node's current lease of its shard. A lost lease is replaced and the shard's lost data
    /// restored first, then the script runs again.
    /// </summary>
    private async Task<PresenceTransition> RegisterAsync(LocalConnection entry, CancellationToken cancellationToken)
    {
        var shard = entry.Shard;
        for (var attempt = 1; ; attempt++)
        {
            var gate = _node.Gate(shard);
            await gate.EnterAsync().ConfigureAwait(false);
            ShardLease lease;
            ConnectReply reply;
            try
            {
                lease = _node.Lease(shard);
                reply = ConnectReply.Read(await _connection.EvaluateAsync(
                    "register a connection",
                    RedisScripts.Connect,
                    lease.Keys,
                    [lease.Id, entry.User, _settings.TtlMilliseconds, _clock.Argument(), _node.KnownEpoch(shard), lease.MayCreate, _settings.SettleMilliseconds],
                    cancellationToken).ConfigureAwait(false));
                if (reply.Lease == LeaseStatus.Held && !_node.ObserveEpoch(shard, reply.Epoch))
                {
                    lease.Created = true;
                    entry.Lease = lease;
                    if (Interlocked.CompareExchange(ref entry.State, LocalConnectionState.Registered, LocalConnectionState.Registering) != LocalConnectionState.Registering)
                    {
                        // Closed while its connect was in flight: take it out again, and report neither.
                        await _connection.EvaluateAsync(
                            "remove a connection",
                            RedisScripts.Disconnect,
                            lease.Keys,
                            [lease.Id, entry.User, 0, _clock.Argument(), _settings.TtlMilliseconds, _node.KnownEpoch(shard), 0],
                            CancellationToken.None).ConfigureAwait(false);
                        return PresenceTransition.None;
                    }

                    return reply.Transition;
                }
            }
            finally
            {
                gate.Exit();
            }

            if (attempt == RegisterAttempts)
            {
                throw new PresenceStoreUnavailableException(
                    $"The Redis presence store could not register a connection (key prefix '{_keys.Prefix}'): shard {shard} lost its data or this node's lease {attempt} times in a row.");
            }

            if (reply.Lease == LeaseStatus.Lost)
            {
                ReplaceLostLease(shard, lease);
            }
            else
            {
                await _recovery.RestoreAsync(shard).ConfigureAwait(false);
            }
        }
    }

    private void ReplaceLostLease(int shard, ShardLease lease)
    {
        if (_node.ReplaceLostLease(shard, lease))
        {
            Log.LeaseLost(_logger, shard, (long)_settings.Ttl.TotalMilliseconds);
        }
    }

    /// <summary>
    /// The users grouped for the read scripts: every shard in one group on a standalone Redis (one
    /// call), one group per shard on a cluster (a script's keys share one hash slot there).
    /// </summary>
    private List<ScriptGroup> GroupForScripts(List<string> userIds)
    {
        var byShard = new SortedDictionary<int, List<int>>();
        for (var index = 0; index < userIds.Count; index++)
        {
            var shard = _keys.ShardOf(userIds[index]);
            if (!byShard.TryGetValue(shard, out var indexes))
            {
                byShard[shard] = indexes = [];
            }

            indexes.Add(index);
        }

        if (_connection.IsCluster)
        {
            return [.. byShard.Select(pair => new ScriptGroup(_keys.ForShard(pair.Key).Keys, [pair.Value]))];
        }

        var keys = new List<RedisKey>(byShard.Count * 9);
        foreach (var shard in byShard.Keys)
        {
            keys.AddRange(_keys.ForShard(shard).Keys);
        }

        return [new ScriptGroup([.. keys], [.. byShard.Values])];
    }

    /// <summary>A connection id belongs to one user; this node knows the owners of the connections it holds.</summary>
    private void ThrowIfOwnedByAnother(string userId, string connectionId)
    {
        _connection.ThrowIfDisposed();
        if (_node.Connections.TryGetValue(connectionId, out var entry)
            && !string.Equals(entry.UserId, userId, StringComparison.Ordinal)
            && Volatile.Read(ref entry.State) != LocalConnectionState.Gone
            && _timeProvider.GetElapsedTime(Volatile.Read(ref entry.LastSeen), _timeProvider.GetTimestamp()) < _settings.Ttl)
        {
            throw new ArgumentException(
                $"Connection '{connectionId}' is registered to another user; a connection id belongs to one user for its whole life.",
                nameof(connectionId));
        }
    }
}
