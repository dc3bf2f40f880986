using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// Sweeps (<see cref="RedisScripts.Sweep"/>): first takes this node's own connections whose clients
/// stopped pinging (their leases are in the node's memory), then runs one script call per shard,
/// all in flight together, that removes them, sweeps the connections of nodes whose lease ended,
/// ends grace periods and renews this node's lease. The budget is split over the shards, starting at
/// a different shard each call so none starves; shards with more work get what is left. A shard
/// that fails is skipped and retried on the next sweep, its taken connections are put back so they
/// expire then; what the other shards removed is reported, because those removals stand in Redis.
/// </summary>
internal sealed class ShardSweeper
{
    private const string Operation = "sweep expired connections";

    private readonly RedisConnection _connection;
    private readonly RedisStoreSettings _settings;
    private readonly RedisServerClock _clock;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly LocalNode _node;
    private readonly DataLossRecovery _recovery;
    private int _nextShard;

    public ShardSweeper(RedisStoreContext context, LocalNode node, DataLossRecovery recovery)
    {
        (_connection, _, _settings, _clock, _timeProvider, _logger) = context;
        _node = node;
        _recovery = recovery;
    }

    public async ValueTask<SweepResult> SweepAsync(int maxConnections, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        var database = await _connection.GetDatabaseAsync(Operation, cancellationToken).ConfigureAwait(false);
        var shardCount = _node.ShardCount;
        var entered = 0;
        List<int>? dataLost = null;
        try
        {
            // Every shard's gate: a restore must not read what the node holds while the sweep takes connections.
            for (; entered < shardCount; entered++)
            {
                await _node.Gate(entered).EnterAsync().ConfigureAwait(false);
            }

            var (expired, taken, localMore) = TakeExpired(maxConnections);
            return await SweepShardsAsync(database, expired, maxConnections - taken, localMore, dataLost = []).ConfigureAwait(false);
        }
        finally
        {
            for (var shard = 0; shard < entered; shard++)
            {
                _node.Gate(shard).Exit();
            }

            foreach (var shard in dataLost ?? [])
            {
                _ = _recovery.RestoreAsync(shard);
            }
        }
    }

    /// <summary>Takes up to <paramref name="max"/> of this node's counted connections not seen for a whole lease, by shard, with how long ago their lease ended.</summary>
    private (List<(LocalConnection Entry, long AgoMs)>?[] Expired, int Taken, bool More) TakeExpired(int max)
    {
        var expired = new List<(LocalConnection, long)>?[_node.ShardCount];
        var now = _timeProvider.GetTimestamp();
        var ttl = _settings.Ttl;
        var taken = 0;
        foreach (var entry in _node.TakeRetries())
        {
            if (ReferenceEquals(entry.Lease, _node.Lease(entry.Shard)))
            {
                var ago = _timeProvider.GetElapsedTime(Volatile.Read(ref entry.LastSeen), now) - ttl;
                (expired[entry.Shard] ??= []).Add((entry, Math.Max(0, (long)ago.TotalMilliseconds)));
                taken++;
            }
        }

        foreach (var pair in _node.Connections)
        {
            var entry = pair.Value;
            if (Volatile.Read(ref entry.State) != LocalConnectionState.Registered
                || _timeProvider.GetElapsedTime(Volatile.Read(ref entry.LastSeen), now) < ttl)
            {
                continue;
            }

            if (taken >= max)
            {
                return (expired, taken, true);
            }

            // A heartbeat stamps LastSeen, then reads State; the sweep sets State, then reads LastSeen: one of them sees the other.
            if (Interlocked.CompareExchange(ref entry.State, LocalConnectionState.Gone, LocalConnectionState.Registered) != LocalConnectionState.Registered)
            {
                continue;
            }

            var elapsed = _timeProvider.GetElapsedTime(Volatile.Read(ref entry.LastSeen), now);
            if (elapsed < ttl)
            {
                Volatile.Write(ref entry.State, LocalConnectionState.Registered);
                continue;
            }

            _node.Connections.TryRemove(pair);
            if (ReferenceEquals(entry.Lease, _node.Lease(entry.Shard)))
            {
                (expired[entry.Shard] ??= []).Add((entry, (long)(elapsed - ttl).TotalMilliseconds));
                taken++;
            }
        }

        return (expired, taken, false);
    }

    private async Task<SweepResult> SweepShardsAsync(IDatabase database, List<(LocalConnection Entry, long AgoMs)>?[] expired, int budget, bool localMore, List<int> dataLost)
    {
        var shardCount = _node.ShardCount;
        var clock = _clock.Argument();
        var start = (int)((uint)Interlocked.Increment(ref _nextShard) % (uint)shardCount);
        var candidates = new List<int>(shardCount);
        for (var i = 0; i < shardCount; i++)
        {
            candidates.Add((start + i) % shardCount);
        }

        List<SweptUser>? sweptUsers = null;
        Exception? failure = null;
        var removed = 0;
        var succeeded = 0;
        var first = true;
        while (candidates.Count > 0 && (first || budget > 0))
        {
            // The budget left is split over the shards still holding work; a shard given 0 only probes.
            var perShard = budget / candidates.Count;
            var extra = budget % candidates.Count;
            var calls = new (ShardLease Lease, List<(LocalConnection Entry, long AgoMs)>? Mine, Task<RedisResult> Call)[candidates.Count];
            for (var i = 0; i < candidates.Count; i++)
            {
                var shard = candidates[i];
                var lease = _node.Lease(shard);
                var mine = first ? expired[shard] : null;
                var count = mine?.Count ?? 0;
                var args = new RedisValue[9 + (2 * count)];
                args[0] = lease.Id;
                args[1] = clock;
                args[2] = _settings.TtlMilliseconds;
                args[3] = _settings.GraceMilliseconds;
                args[4] = _settings.LastSeenRetentionMilliseconds;
                args[5] = count + perShard + (i < extra ? 1 : 0);
                args[6] = _node.KnownEpoch(shard);
                args[7] = count > 0 ? "r" : "n";
                args[8] = _settings.SettleMilliseconds;
                for (var j = 0; j < count; j++)
                {
                    args[9 + (2 * j)] = mine![j].Entry.User;
                    args[10 + (2 * j)] = mine[j].AgoMs;
                }

                calls[i] = (lease, mine, database.ScriptEvaluateAsync(RedisScripts.Sweep, lease.Keys, args));
            }

            var next = new List<int>();
            for (var i = 0; i < calls.Length; i++)
            {
                var shard = candidates[i];
                var (lease, mine, call) = calls[i];
                SweepReply reply;
                try
                {
                    reply = SweepReply.Read(await call.ConfigureAwait(false));
                }
                catch (Exception exception) when (RedisConnection.IsFailure(exception))
                {
                    failure ??= exception;
                    PutBack(mine);
                    continue;
                }

                succeeded++;
                if (reply.Lease == LeaseStatus.DataLost || _node.ObserveEpoch(shard, reply.Epoch))
                {
                    HoldAsGraces(mine);
                    dataLost.Add(shard);
                    continue;
                }

                if (reply.Lease == LeaseStatus.Lost && _node.ReplaceLostLease(shard, lease))
                {
                    Log.LeaseLost(_logger, shard, (long)_settings.Ttl.TotalMilliseconds);
                }

                removed += reply.Removed;
                budget -= Math.Max(0, reply.Processed - (mine?.Count ?? 0));
                if (reply.Users is { } users)
                {
                    (sweptUsers ??= []).AddRange(users);
                    foreach (var user in users)
                    {
                        // Its grace period (if this node started it) is over: a later restore must not state it again.
                        _node.Graces.TryRemove(user.UserId, out _);
                    }
                }

                if (reply.HasMore)
                {
                    next.Add(shard);
                }
            }

            candidates = next;
            first = false;
        }

        if (failure is not null && succeeded == 0)
        {
            throw _connection.Unavailable(Operation, failure);
        }

        if (failure is not null)
        {
            // A shard that failed is tried again on the next sweep tick; reporting HasMore for it would spin the caller.
            Log.ShardSweepFailed(_logger, failure);
        }

        var hasMore = candidates.Count > 0 || localMore;
        return sweptUsers is null && removed == 0 && !hasMore
            ? SweepResult.Empty
            : new SweepResult(sweptUsers ?? [], removed, hasMore);
    }

    /// <summary>A connection counted in Redis whose removal failed: see <see cref="LocalNode.RetryRemoval"/>.</summary>
    public void RetryLater(LocalConnection entry) => _node.RetryRemoval(entry);

    private void PutBack(List<(LocalConnection Entry, long AgoMs)>? taken)
    {
        foreach (var (entry, _) in taken ?? [])
        {
            RetryLater(entry);
        }
    }

    /// <summary>
    /// Taken connections the shard lost with its data: not put back by the restore, so their users,
    /// unless another connection brings them back, are reported offline when the held period ends.
    /// </summary>
    private void HoldAsGraces(List<(LocalConnection Entry, long AgoMs)>? taken)
    {
        foreach (var (entry, _) in taken ?? [])
        {
            _node.HoldAsGrace(entry.UserId, entry.Shard, _timeProvider, _settings);
        }
    }

}
