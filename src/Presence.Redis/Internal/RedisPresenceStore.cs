using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// <see cref="IPresenceStore"/> on Redis or Redis Cluster. Every transition (connect, disconnect,
/// heartbeat, sweep) is decided inside one Lua script in one round trip, on Redis's clock.
/// Heartbeats are coalesced per node and shard. The node also remembers the connections it
/// registered, so when Redis loses its data (restart, FLUSHALL) it puts the live ones back
/// silently instead of reporting a flood of offline/online transitions.
/// </summary>
/// <remarks>See docs/redis.md for the key layout, the scripts and the failure story.</remarks>
internal sealed class RedisPresenceStore : IPresenceStore, IAsyncDisposable
{
    private const int RestoreChunkSize = 1000;

    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly bool _ownsConnection;
    private readonly RedisPresenceKeys _keys;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _ttl;
    private readonly TimeSpan _grace;
    private readonly RedisValue _ttlMilliseconds;
    private readonly RedisValue _graceMilliseconds;
    private readonly RedisValue _lastSeenRetentionMilliseconds;
    private readonly int _batchSize;
    private readonly ConcurrentDictionary<string, LocalConnection> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalGrace> _graces = new(StringComparer.Ordinal);
    private readonly string?[] _epochs;
    private readonly int[] _restoring;
    private readonly HeartbeatBatcher _heartbeats;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _dataLossCheck;
    private readonly Lock _connectGate = new();
    private Task<IConnectionMultiplexer>? _connection;
    private IDatabase? _database;
    private int _nextSweepShard;
    private int _disposed;

    /// <param name="connect">Returns the connection; called once, again only after a failed first connect.</param>
    /// <param name="ownsConnection">Whether disposing the store disposes the connection.</param>
    /// <param name="options">Key prefix, shards, batching.</param>
    /// <param name="presenceOptions">
    /// The lease (<see cref="PresenceOptions.ConnectionTtl"/>), <see cref="PresenceOptions.HeartbeatInterval"/>,
    /// <see cref="PresenceOptions.OfflineGracePeriod"/> and <see cref="PresenceOptions.LastSeenRetention"/>.
    /// </param>
    /// <param name="timeProvider">Only measures how long ago a local connection was seen; leases use Redis time.</param>
    /// <param name="logger">Logs data-loss recovery and background failures.</param>
    public RedisPresenceStore(
        Func<Task<IConnectionMultiplexer>> connect,
        bool ownsConnection,
        RedisPresenceStoreOptions options,
        PresenceOptions presenceOptions,
        TimeProvider timeProvider,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(presenceOptions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        RedisPresenceStoreOptionsValidator.ThrowIfInvalid(options);
        if (presenceOptions.ConnectionTtl < TimeSpan.FromMilliseconds(1) || presenceOptions.HeartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(presenceOptions), "PresenceOptions.ConnectionTtl and PresenceOptions.HeartbeatInterval must be positive.");
        }

        _connect = connect;
        _ownsConnection = ownsConnection;
        _keys = new RedisPresenceKeys(options.KeyPrefix, options.ExpiryShards);
        _timeProvider = timeProvider;
        _logger = logger;
        _ttl = presenceOptions.ConnectionTtl;
        _ttlMilliseconds = (long)_ttl.TotalMilliseconds;
        _grace = presenceOptions.OfflineGracePeriod;

        // Rounded up, so a sub-millisecond grace period still parks the user instead of reporting at once.
        _graceMilliseconds = presenceOptions.OfflineGracePeriod > TimeSpan.Zero ? (long)Math.Ceiling(presenceOptions.OfflineGracePeriod.TotalMilliseconds) : 0;
        _lastSeenRetentionMilliseconds = (long)Math.Min(presenceOptions.LastSeenRetention.TotalMilliseconds, long.MaxValue / 4);
        _batchSize = options.HeartbeatBatchSize;
        _epochs = new string?[options.ExpiryShards];
        _restoring = new int[options.ExpiryShards];
        _heartbeats = new HeartbeatBatcher(options.ExpiryShards, options.ExpiryShards * options.HeartbeatBatchSize, SendHeartbeatsAsync);

        // Half a heartbeat interval: lost data is noticed and repaired before every client's next ping is due.
        _dataLossCheck = RunDataLossChecksAsync(presenceOptions.HeartbeatInterval / 2, _stopping.Token);
    }

    internal RedisPresenceKeys Keys => _keys;

    /// <summary>
    /// Test-only: when set, scripts use this value (milliseconds) instead of Redis <c>TIME</c>, so a
    /// test can move the store's clock with a FakeTimeProvider. Production code never sets it.
    /// </summary>
    internal Func<long>? ServerClockOverride { get; set; }

    public async ValueTask<PresenceTransition> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        ThrowIfOwnedByAnother(userId, connectionId);
        cancellationToken.ThrowIfCancellationRequested();

        var shard = _keys.ShardOf(userId);
        var member = RedisPresenceKeys.Member(userId, connectionId);
        var result = (RedisResult[])(await EvaluateAsync(
            "register a connection", RedisScripts.Connect, _keys.ForShard(shard), [member, _ttlMilliseconds, Clock(), KnownEpoch(shard)]).ConfigureAwait(false))!;
        var epoch = (string?)result[3];
        if (!string.IsNullOrEmpty(epoch))
        {
            ObserveEpoch(shard, epoch);
        }

        _local[connectionId] = new LocalConnection(userId, shard, member) { LastSeen = _timeProvider.GetTimestamp() };
        return (int)result[0] == 1 ? PresenceTransition.CameOnline((long)result[1], FromServerTime(result[2])) : PresenceTransition.None;
    }

    public async ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        ThrowIfOwnedByAnother(userId, connectionId);
        cancellationToken.ThrowIfCancellationRequested();

        // Forget it locally first, so a data-loss restore running now cannot bring it back.
        RedisValue member = default;
        if (_local.TryGetValue(connectionId, out var entry)
            && string.Equals(entry.UserId, userId, StringComparison.Ordinal)
            && _local.TryRemove(new KeyValuePair<string, LocalConnection>(connectionId, entry)))
        {
            entry.Removed = true;
            member = entry.Member;
        }

        var shard = _keys.ShardOf(userId);
        if (member.IsNull)
        {
            member = RedisPresenceKeys.Member(userId, connectionId);
        }

        return await DisconnectAsync(shard, member, userId, "remove a connection").ConfigureAwait(false);
    }

    public ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        PresenceId.ThrowIfInvalid(userId);
        PresenceId.ThrowIfInvalid(connectionId);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<PresenceTransition>(cancellationToken);
        }

        var now = _timeProvider.GetTimestamp();
        if (_local.TryGetValue(connectionId, out var entry))
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

    public async ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var database = await GetDatabaseAsync("sweep expired connections").ConfigureAwait(false);
        var clock = Clock();
        var shardCount = _keys.ShardCount;
        var start = (int)((uint)Interlocked.Increment(ref _nextSweepShard) % (uint)shardCount);
        var candidates = new List<int>(shardCount);
        for (var i = 0; i < shardCount; i++)
        {
            candidates.Add((start + i) % shardCount);
        }

        List<SweptUser>? sweptUsers = null;
        Exception? failure = null;
        var remaining = maxConnections;
        var removed = 0;
        var succeeded = 0;
        while (remaining > 0 && candidates.Count > 0)
        {
            // Split the budget over the shards still holding expired work; a shard given 0 only probes.
            var perShard = remaining / candidates.Count;
            var extra = remaining % candidates.Count;
            var calls = new Task<RedisResult>[candidates.Count];
            for (var i = 0; i < candidates.Count; i++)
            {
                RedisValue limit = perShard + (i < extra ? 1 : 0);
                calls[i] = database.ScriptEvaluateAsync(
                    RedisScripts.Sweep, _keys.ForShard(candidates[i]), [limit, clock, _graceMilliseconds, _lastSeenRetentionMilliseconds]);
            }

            var next = new List<int>();
            for (var i = 0; i < calls.Length; i++)
            {
                RedisResult[] result;
                try
                {
                    result = (RedisResult[])(await calls[i].ConfigureAwait(false))!;
                }
                catch (RedisException exception)
                {
                    // Other shards' removals stand and their users must still be reported: keep going.
                    failure ??= exception;
                    continue;
                }

                succeeded++;
                removed += (int)result[1];
                remaining -= (int)result[2];
                for (var j = 3; j + 3 < result.Length; j += 4)
                {
                    var reason = (string?)result[j + 2] == "d" ? OfflineReason.Disconnected : OfflineReason.Expired;
                    (sweptUsers ??= []).Add(new SweptUser((string)result[j]!, reason, FromServerTime(result[j + 1]), (long)result[j + 3]));
                }

                if ((int)result[0] == 1)
                {
                    next.Add(candidates[i]);
                }
            }

            candidates = next;
        }

        if (failure is not null && succeeded == 0)
        {
            throw Unavailable("sweep expired connections", failure);
        }

        if (failure is not null)
        {
            // A shard that failed is tried again on the next sweep tick; reporting HasMore for it would spin the caller.
            Log.ShardSweepFailed(_logger, failure);
        }

        return sweptUsers is null && removed == 0 && candidates.Count == 0
            ? SweepResult.Empty
            : new SweepResult(sweptUsers ?? [], removed, hasMore: candidates.Count > 0);
    }

    public async ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        var unique = DistinctValid(userIds);
        if (unique.Count == 0)
        {
            return [];
        }

        // One HMGET per shard, all in flight together.
        var byShard = GroupByShard(unique);
        var database = await GetDatabaseAsync("read presence").ConfigureAwait(false);
        var calls = byShard.Select(pair => (Indexes: pair.Value, Call: database.HashGetAsync(
            _keys.ForShard(pair.Key)[RedisPresenceKeys.Users], [.. pair.Value.Select(i => (RedisValue)unique[i])]))).ToList();
        var online = new bool[unique.Count];
        foreach (var (indexes, call) in calls)
        {
            var counts = await Guard("read presence", call).ConfigureAwait(false);
            for (var i = 0; i < indexes.Count; i++)
            {
                online[indexes[i]] = !counts[i].IsNull;
            }
        }

        return [.. unique.Where((_, i) => online[i])];
    }

    public async ValueTask<IReadOnlyList<string>> GetAllOnlineAsync(CancellationToken cancellationToken = default)
    {
        var database = await GetDatabaseAsync("read presence").ConfigureAwait(false);
        var calls = Enumerable.Range(0, _keys.ShardCount)
            .Select(shard => database.HashKeysAsync(_keys.ForShard(shard)[RedisPresenceKeys.Users]))
            .ToList();
        var online = new List<string>();
        foreach (var call in calls)
        {
            foreach (var user in await Guard("read presence", call).ConfigureAwait(false))
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
        cancellationToken.ThrowIfCancellationRequested();
        var result = (RedisResult[])(await EvaluateAsync("set a status", RedisScripts.SetStatus, _keys.ForShard(_keys.ShardOf(userId)), [userId, status, Clock()]).ConfigureAwait(false))!;
        return (StatusChange)(int)result[0] switch
        {
            StatusChange.Changed => StatusTransition.Changed((long)result[1], FromServerTime(result[2])),
            StatusChange.Unchanged => StatusTransition.Unchanged,
            _ => StatusTransition.NotOnline,
        };
    }

    public async ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        var unique = DistinctValid(userIds);
        if (unique.Count == 0)
        {
            return [];
        }

        // One script call per shard involved, all pipelined: one round trip on a standalone Redis.
        var database = await GetDatabaseAsync("read presence").ConfigureAwait(false);
        RedisValue clock = Clock();
        var calls = new List<(List<int> Indexes, Task<RedisResult> Call)>();
        foreach (var (shard, indexes) in GroupByShard(unique))
        {
            var args = new RedisValue[2 + indexes.Count];
            args[0] = clock;
            args[1] = _lastSeenRetentionMilliseconds;
            for (var i = 0; i < indexes.Count; i++)
            {
                args[2 + i] = unique[indexes[i]];
            }

            calls.Add((indexes, database.ScriptEvaluateAsync(RedisScripts.GetPresence, _keys.ForShard(shard), args)));
        }

        var presence = new UserPresence[unique.Count];
        foreach (var (indexes, call) in calls)
        {
            var result = (RedisResult[])(await Guard("read presence", call).ConfigureAwait(false))!;
            for (var i = 0; i < indexes.Count; i++)
            {
                var userId = unique[indexes[i]];
                var count = (int)result[4 * i];
                var status = (string?)result[(4 * i) + 1];
                var lastSeen = result[(4 * i) + 2];
                var version = (long)result[(4 * i) + 3];
                presence[indexes[i]] = count < 0
                    ? new UserPresence(userId, false, null, lastSeen.IsNull || ((string?)lastSeen)!.Length == 0 ? null : FromServerTime(lastSeen), 0, version)
                    : new UserPresence(userId, true, string.IsNullOrEmpty(status) ? null : status, null, count, version);
            }
        }

        return presence;
    }

    public async ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        var database = await GetDatabaseAsync("read presence counts").ConfigureAwait(false);
        var calls = Enumerable.Range(0, _keys.ShardCount)
            .Select(shard => (
                Users: database.HashLengthAsync(_keys.ForShard(shard)[RedisPresenceKeys.Users]),
                Connections: database.SortedSetLengthAsync(_keys.ForShard(shard)[RedisPresenceKeys.Expiry])))
            .ToList();
        long users = 0;
        long connections = 0;
        foreach (var (usersCall, connectionsCall) in calls)
        {
            users += await Guard("read presence counts", usersCall).ConfigureAwait(false);
            connections += await Guard("read presence counts", connectionsCall).ConfigureAwait(false);
        }

        return new PresenceCounts(users, connections);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _dataLossCheck.ConfigureAwait(false);
        _stopping.Dispose();
        if (_ownsConnection && _connection is { IsCompletedSuccessfully: true } connection)
        {
            await connection.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Compares each shard's epoch with the one this node last synced with and re-registers the
    /// node's live connections where they differ. Runs every half heartbeat interval; internal for tests.
    /// </summary>
    internal async Task CheckForDataLossAsync()
    {
        var now = _timeProvider.GetTimestamp();
        var inUse = new bool[_keys.ShardCount];
        foreach (var pair in _graces)
        {
            if (_timeProvider.GetElapsedTime(pair.Value.StartedAt, now) < _grace)
            {
                inUse[pair.Value.Shard] = true;
            }
            else
            {
                // Ended: a sweep reports (or reported) it; nothing left to put back.
                _graces.TryRemove(pair);
            }
        }

        foreach (var pair in _local)
        {
            if (IsLive(pair.Value, now))
            {
                inUse[pair.Value.Shard] = true;
            }
            else
            {
                // Not seen for a whole lease: the client is gone or paused; a later ping re-registers it.
                _local.TryRemove(pair);
            }
        }

        var database = await GetDatabaseAsync("check for lost data").ConfigureAwait(false);
        var checks = new List<(int Shard, Task<RedisValue> Epoch)>();
        for (var shard = 0; shard < inUse.Length; shard++)
        {
            if (inUse[shard])
            {
                checks.Add((shard, database.StringGetAsync(_keys.ForShard(shard)[RedisPresenceKeys.Epoch])));
            }
        }

        foreach (var (shard, epochCall) in checks)
        {
            var epoch = await Guard("check for lost data", epochCall).ConfigureAwait(false);
            if ((epoch.IsNull || (string?)epoch != Volatile.Read(ref _epochs[shard]))
                && Interlocked.Exchange(ref _restoring[shard], 1) == 0)
            {
                await RestoreShardAsync(shard).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<PresenceTransition> RefreshUnknownAsync(string userId, string connectionId, long now)
    {
        var shard = _keys.ShardOf(userId);
        var entry = new LocalConnection(userId, shard, RedisPresenceKeys.Member(userId, connectionId)) { LastSeen = now };
        var change = await _heartbeats.Enqueue(PendingRefresh.Rent(shard, entry.Member)).ConfigureAwait(false);
        _local[connectionId] = entry;
        return change;
    }

    /// <summary>Sends one shard's queued heartbeats (in chunks of the batch size) and completes each caller.</summary>
    private async Task SendHeartbeatsAsync(int shard, List<PendingRefresh> requests)
    {
        var keys = _keys.ForShard(shard);
        var known = KnownEpoch(shard);
        RedisValue clock = Clock();
        var chunks = new List<(int Start, int Count, Task<RedisResult> Call)>();
        Exception? failure = null;
        try
        {
            var database = await GetDatabaseAsync("refresh connection leases").ConfigureAwait(false);
            for (var start = 0; start < requests.Count; start += _batchSize)
            {
                var count = Math.Min(_batchSize, requests.Count - start);
                var args = new RedisValue[3 + count];
                args[0] = _ttlMilliseconds;
                args[1] = clock;
                args[2] = known;
                for (var i = 0; i < count; i++)
                {
                    args[3 + i] = requests[start + i].Member;
                }

                chunks.Add((start, count, database.ScriptEvaluateAsync(RedisScripts.RefreshBatch, keys, args)));
            }
        }
#pragma warning disable CA1031 // Every queued caller must be completed, whatever went wrong.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = exception;
        }

        var completed = 0;
        foreach (var (start, count, call) in chunks)
        {
            try
            {
                var result = (RedisResult[])(await call.ConfigureAwait(false))!;
                ObserveEpoch(shard, (string?)result[0]);

                // The script lists only the positions that came online (1-based, ascending) with their versions; the rest changed nothing.
                var at = FromServerTime(result[1]);
                var next = 2;
                var cameOnline = result.Length > 2 ? (int)result[2] - 1 : -1;
                for (var i = 0; i < count; i++)
                {
                    if (i == cameOnline)
                    {
                        requests[start + i].SetResult(PresenceTransition.CameOnline((long)result[next + 1], at));
                        next += 2;
                        cameOnline = next < result.Length ? (int)result[next] - 1 : -1;
                    }
                    else
                    {
                        requests[start + i].SetResult(PresenceTransition.None);
                    }
                }
            }
#pragma warning disable CA1031 // As above: the error goes to the callers.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                var error = exception is RedisException redis ? Unavailable("refresh connection leases", redis) : exception;
                Log.HeartbeatFlushFailed(_logger, count, shard, exception);
                for (var i = 0; i < count; i++)
                {
                    requests[start + i].SetException(error);
                }
            }

            completed = start + count;
        }

        if (failure is not null)
        {
            Log.HeartbeatFlushFailed(_logger, requests.Count - completed, shard, failure);
            for (var i = completed; i < requests.Count; i++)
            {
                requests[i].SetException(failure);
            }
        }
    }

    /// <summary>
    /// A script reported the shard's epoch. The first one a node sees is adopted; a different one
    /// later means the shard lost its data since, and this node's live connections go back in.
    /// </summary>
    private void ObserveEpoch(int shard, string? epoch)
    {
        var known = Volatile.Read(ref _epochs[shard]);
        if (epoch is null || epoch == known
            || (known is null && Interlocked.CompareExchange(ref _epochs[shard], epoch, null) is null))
        {
            return;
        }

        if (Interlocked.Exchange(ref _restoring[shard], 1) == 0)
        {
            _ = Task.Run(() => RestoreShardAsync(shard));
        }
    }

    /// <summary>Re-registers this node's live connections in a shard, silently. Caller set <see cref="_restoring"/>.</summary>
    private async Task RestoreShardAsync(int shard)
    {
        try
        {
            var now = _timeProvider.GetTimestamp();
            var live = new List<(LocalConnection Entry, long RemainingMs)>();
            foreach (var pair in _local)
            {
                var entry = pair.Value;
                var remaining = _ttl - _timeProvider.GetElapsedTime(Volatile.Read(ref entry.LastSeen), now);
                if (entry.Shard == shard && !entry.Removed && remaining > TimeSpan.Zero)
                {
                    live.Add((entry, Math.Max(1, (long)remaining.TotalMilliseconds)));
                }
            }

            var keys = _keys.ForShard(shard);
            RedisValue clock = Clock();
            string? epoch = null;
            var consistent = true;
            var restored = 0;
            var index = 0;
            do
            {
                var count = Math.Min(RestoreChunkSize, live.Count - index);
                var args = new RedisValue[1 + (3 * count)];
                args[0] = clock;
                for (var i = 0; i < count; i++)
                {
                    var (entry, remainingMs) = live[index + i];
                    args[1 + (3 * i)] = entry.Member;
                    args[2 + (3 * i)] = entry.User;
                    args[3 + (3 * i)] = remainingMs;
                }

                var result = (RedisResult[])(await EvaluateAsync("re-register live connections", RedisScripts.Restore, keys, args).ConfigureAwait(false))!;
                var chunkEpoch = (string?)result[0];
                consistent &= epoch is null || epoch == chunkEpoch;
                epoch = chunkEpoch;
                restored += (int)result[1];
                index += count;
            }
            while (index < live.Count);

            // Grace periods after the connections: a user whose connection came back is online, not in grace.
            var graces = _graces.Where(g => g.Value.Shard == shard && _timeProvider.GetElapsedTime(g.Value.StartedAt, now) < _grace).ToList();
            foreach (var chunk in graces.Chunk(RestoreChunkSize))
            {
                var args = new RedisValue[2 * chunk.Length];
                for (var i = 0; i < chunk.Length; i++)
                {
                    args[2 * i] = chunk[i].Key;
                    args[(2 * i) + 1] = chunk[i].Value.DisconnectedAtMilliseconds;
                }

                var result = (RedisResult[])(await EvaluateAsync("re-register grace periods", RedisScripts.RestoreGraces, keys, args).ConfigureAwait(false))!;
                consistent &= epoch == (string?)result[0];
                restored += (int)result[1];
            }

            // A disconnect that raced the restore may have been undone by it: undo the restore instead.
            foreach (var (entry, _) in live.Where(static e => e.Entry.Removed))
            {
                await DisconnectAsync(shard, entry.Member, entry.UserId, "re-register live connections").ConfigureAwait(false);
            }

            // With mixed epochs the shard was reset again mid-way; keep the old one so the next check repeats.
            if (consistent)
            {
                Volatile.Write(ref _epochs[shard], epoch);
            }

            Log.ShardRestored(_logger, shard, restored);
        }
        catch (Exception exception) when (exception is PresenceStoreUnavailableException or ObjectDisposedException)
        {
            Log.ShardRestoreFailed(_logger, shard, exception);
        }
        finally
        {
            Volatile.Write(ref _restoring[shard], 0);
        }
    }

    /// <summary>Runs the disconnect script; remembers a grace period it started, for a restore after data loss.</summary>
    private async Task<PresenceTransition> DisconnectAsync(int shard, RedisValue member, string userId, string operation)
    {
        var result = (RedisResult[])(await EvaluateAsync(
            operation, RedisScripts.Disconnect, _keys.ForShard(shard), [member, userId, _graceMilliseconds, Clock()]).ConfigureAwait(false))!;
        switch ((int)result[0])
        {
            case 1:
                return PresenceTransition.WentOffline((long)result[1], FromServerTime(result[2]));
            case 2:
                _graces[userId] = new LocalGrace(shard, (long)result[2], _timeProvider.GetTimestamp());
                return PresenceTransition.None;
            default:
                return PresenceTransition.None;
        }
    }

    private async Task RunDataLossChecksAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(period, _timeProvider);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await CheckForDataLossAsync().ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is PresenceStoreUnavailableException or RedisException or ObjectDisposedException)
                {
                    Log.DataLossCheckFailed(_logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<RedisResult> EvaluateAsync(string operation, string script, RedisKey[] keys, RedisValue[] args)
    {
        var database = await GetDatabaseAsync(operation).ConfigureAwait(false);
        try
        {
            // Awaited here rather than through Guard: one async frame less on every connect and disconnect.
            return await database.ScriptEvaluateAsync(script, keys, args).ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            throw Unavailable(operation, exception);
        }
    }

    private async Task<T> Guard<T>(string operation, Task<T> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            throw Unavailable(operation, exception);
        }
    }

    private ValueTask<IDatabase> GetDatabaseAsync(string operation)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _database is { } database ? new ValueTask<IDatabase>(database) : ConnectAsync(operation);
    }

    private async ValueTask<IDatabase> ConnectAsync(string operation)
    {
        Task<IConnectionMultiplexer> pending;
        lock (_connectGate)
        {
            pending = _connection ??= _connect();
        }

        try
        {
            var database = (await pending.ConfigureAwait(false)).GetDatabase();
            _database = database;
            return database;
        }
        catch (RedisException exception)
        {
            // A failed first connect must not poison the store: the next call tries again.
            lock (_connectGate)
            {
                if (ReferenceEquals(_connection, pending))
                {
                    _connection = null;
                }
            }

            throw Unavailable(operation, exception);
        }
    }

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

    /// <summary>A Redis server time in milliseconds (a score, as the scripts return it).</summary>
    private static DateTimeOffset FromServerTime(RedisResult milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(double)milliseconds);

    /// <summary>The epoch this node last synced with for the shard, as the scripts expect it ('' when none yet).</summary>
    private RedisValue KnownEpoch(int shard) => Volatile.Read(ref _epochs[shard]) ?? string.Empty;

    private RedisValue Clock() => ServerClockOverride is { } clock ? clock() : RedisValue.EmptyString;

    private RedisKey UsersKey(string userId) => _keys.ForShard(_keys.ShardOf(userId))[RedisPresenceKeys.Users];

    private bool IsLive(LocalConnection entry, long now) =>
        _timeProvider.GetElapsedTime(Volatile.Read(ref entry.LastSeen), now) < _ttl;

    /// <summary>A connection id belongs to one user; this node knows the owners of the connections it registered.</summary>
    private void ThrowIfOwnedByAnother(string userId, string connectionId)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_local.TryGetValue(connectionId, out var entry)
            && !string.Equals(entry.UserId, userId, StringComparison.Ordinal)
            && IsLive(entry, _timeProvider.GetTimestamp()))
        {
            throw new ArgumentException(
                $"Connection '{connectionId}' is registered to another user; a connection id belongs to one user for its whole life.",
                nameof(connectionId));
        }
    }

    private PresenceStoreUnavailableException Unavailable(string operation, Exception exception) =>
        new($"The Redis presence store could not {operation} (key prefix '{_keys.Prefix}'): {exception.Message}", exception);
}
