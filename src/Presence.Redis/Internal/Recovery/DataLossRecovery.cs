using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// Notices that a shard lost its data or went back in time (FLUSHALL, a restart empty or from a
/// snapshot, a failover: the scripts start a new epoch) and, silently, puts this node's live
/// connections back, removes the ones it closed since and re-states its grace periods, instead of
/// letting a flood of offline/online transitions (or ghosts) be reported. Owns the connections, closed
/// connections and grace periods this node holds, each shard's last known epoch, the periodic check
/// and every restore it starts: all are awaited on dispose.
/// </summary>
internal sealed class DataLossRecovery : IAsyncDisposable
{
    private const int RestoreChunkSize = 1000;

    private readonly RedisConnection _connection;
    private readonly RedisPresenceKeys _keys;
    private readonly RedisStoreSettings _settings;
    private readonly RedisServerClock _clock;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Func<int, RedisValue, string, string, Task<PresenceTransition>> _disconnect;
    private readonly string?[] _epochs;
    private readonly int[] _restoring;
    private readonly ConcurrentDictionary<Task, byte> _restores = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _checks;

    /// <param name="context">The store's connection, keys, settings and clocks.</param>
    /// <param name="disconnect">Runs the disconnect script (shard, member, user id, operation name): undoes a restore that raced a disconnect.</param>
    public DataLossRecovery(RedisStoreContext context, Func<int, RedisValue, string, string, Task<PresenceTransition>> disconnect)
    {
        (_connection, _keys, _settings, _clock, _timeProvider, _logger) = context;
        _disconnect = disconnect;
        _epochs = new string?[_keys.ShardCount];
        _restoring = new int[_keys.ShardCount];

        // Half a heartbeat interval: lost data is noticed and repaired before every client's next ping is due.
        _checks = RunChecksAsync(_settings.HeartbeatInterval / 2, _stopping.Token);
    }

    /// <summary>The connections this node registered, by connection id.</summary>
    public ConcurrentDictionary<string, LocalConnection> Connections { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The connections this node closed within one lease, by connection id (<see cref="LocalConnection.LastSeen"/>
    /// is the close): a snapshot taken before the close may still hold their leases, which end within one lease.
    /// </summary>
    public ConcurrentDictionary<string, LocalConnection> Closed { get; } = new(StringComparer.Ordinal);

    /// <summary>The grace periods this node started and that have not ended, by user id.</summary>
    public ConcurrentDictionary<string, LocalGrace> Graces { get; } = new(StringComparer.Ordinal);

    /// <summary>The epoch this node last synced with for the shard, as the scripts expect it ('' when none yet).</summary>
    public RedisValue KnownEpoch(int shard) => Volatile.Read(ref _epochs[shard]) ?? string.Empty;

    /// <summary>Whether a local connection was seen within one lease.</summary>
    public bool IsLive(LocalConnection entry, long now) =>
        _timeProvider.GetElapsedTime(Volatile.Read(ref entry.LastSeen), now) < _settings.Ttl;

    /// <summary>
    /// A script reported the shard's epoch. The first one a node sees is adopted; a different one
    /// later means the shard lost its data since, and this node's live connections go back in.
    /// </summary>
    public void ObserveEpoch(int shard, string? epoch)
    {
        var known = Volatile.Read(ref _epochs[shard]);
        if (epoch is null || epoch == known
            || (known is null && Interlocked.CompareExchange(ref _epochs[shard], epoch, null) is null))
        {
            return;
        }

        // Once disposal began no restore starts: disposal awaits only the ones already tracked.
        if (!_stopping.IsCancellationRequested && Interlocked.Exchange(ref _restoring[shard], 1) == 0)
        {
            Track(Task.Run(() => RestoreShardAsync(shard)));
        }
    }

    /// <summary>
    /// Compares each shard's epoch with the one this node last synced with and re-registers the
    /// node's live connections where they differ. Runs every half heartbeat interval; tests call it directly.
    /// </summary>
    public async Task CheckAsync()
    {
        var now = _timeProvider.GetTimestamp();
        var inUse = new bool[_keys.ShardCount];
        foreach (var pair in Graces)
        {
            if (_timeProvider.GetElapsedTime(pair.Value.StartedAt, now) < _settings.Grace)
            {
                inUse[pair.Value.Shard] = true;
            }
            else
            {
                // Ended: a sweep reports (or reported) it; nothing left to put back.
                Graces.TryRemove(pair);
            }
        }

        foreach (var pair in Connections)
        {
            if (IsLive(pair.Value, now))
            {
                inUse[pair.Value.Shard] = true;
            }
            else
            {
                // Not seen for a whole lease: the client is gone or paused; a later ping re-registers it.
                Connections.TryRemove(pair);
            }
        }

        foreach (var pair in Closed)
        {
            if (IsLive(pair.Value, now))
            {
                inUse[pair.Value.Shard] = true;
            }
            else
            {
                // Closed a whole lease ago: a lease of it that data gone back in time still holds has ended
                // (docs/redis.md, "Data loss and restarts", states what the sweep then reports).
                Closed.TryRemove(pair);
            }
        }

        // The epoch script, not a GET: it is what notices a restart or failover (the server's run id changed).
        var database = await _connection.GetDatabaseAsync("check for lost data").ConfigureAwait(false);
        var checks = new List<(int Shard, Task<RedisResult> Epoch)>();
        for (var shard = 0; shard < inUse.Length; shard++)
        {
            if (inUse[shard])
            {
                checks.Add((shard, database.ScriptEvaluateAsync(RedisScripts.Epoch, _keys.ForShard(shard).Keys, [])));
            }
        }

        foreach (var (shard, epochCall) in checks)
        {
            var epoch = (string?)await _connection.GuardAsync("check for lost data", epochCall).ConfigureAwait(false);
            if ((epoch is null || epoch != Volatile.Read(ref _epochs[shard]))
                && Interlocked.Exchange(ref _restoring[shard], 1) == 0)
            {
                await RestoreShardAsync(shard).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _checks.ConfigureAwait(false);
        await Task.WhenAll(_restores.Keys).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void Track(Task restore)
    {
        _restores.TryAdd(restore, 0);
        _ = restore.ContinueWith(static (done, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(done, out _), _restores, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunChecksAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(period, _timeProvider);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await CheckAsync().ConfigureAwait(false);
                }
#pragma warning disable CA1031 // One failed check must not end the checks: the next tick tries again.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    Log.DataLossCheckFailed(_logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Re-registers this node's live connections in a shard, silently. Caller set <see cref="_restoring"/>.</summary>
    private async Task RestoreShardAsync(int shard)
    {
        try
        {
            var now = _timeProvider.GetTimestamp();
            var live = new List<(LocalConnection Entry, long RemainingMs)>();
            foreach (var pair in Connections)
            {
                var entry = pair.Value;
                var remaining = _settings.Ttl - _timeProvider.GetElapsedTime(Volatile.Read(ref entry.LastSeen), now);
                if (entry.Shard == shard && !entry.Removed && remaining > TimeSpan.Zero)
                {
                    live.Add((entry, Math.Max(1, (long)remaining.TotalMilliseconds)));
                }
            }

            var keys = _keys.ForShard(shard);
            var clock = _clock.Argument();
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

                var reply = RestoreReply.Read(await _connection.EvaluateAsync("re-register live connections", RedisScripts.Restore, keys, args).ConfigureAwait(false));
                consistent &= epoch is null || epoch == reply.Epoch;
                epoch = reply.Epoch;
                restored += reply.Restored;
                index += count;
            }
            while (index < live.Count);

            // Then the connections this node closed since: a snapshot may still have them, and their users were told.
            var closed = Closed.Values.Where(c => c.Shard == shard).ToList();
            foreach (var chunk in closed.Chunk(RestoreChunkSize))
            {
                var args = new RedisValue[1 + (2 * chunk.Length)];
                args[0] = clock;
                for (var i = 0; i < chunk.Length; i++)
                {
                    args[1 + (2 * i)] = chunk[i].Member;
                    args[2 + (2 * i)] = chunk[i].User;
                }

                var reply = RestoreReply.Read(await _connection.EvaluateAsync("remove closed connections", RedisScripts.Forget, keys, args).ConfigureAwait(false));
                consistent &= epoch == reply.Epoch;
                restored += reply.Restored;
            }

            // Grace periods after the connections: a user whose connection came back is online, not in grace.
            // One that ended before another node put the user's connection back would report a connected
            // user offline, so a grace period put back lasts at least one heartbeat interval: every node's
            // check (each half interval) and every live client's heartbeat re-registers within it.
            var graces = Graces.Where(g => g.Value.Shard == shard && _timeProvider.GetElapsedTime(g.Value.StartedAt, now) < _settings.Grace).ToList();
            foreach (var chunk in graces.Chunk(RestoreChunkSize))
            {
                var args = new RedisValue[3 + (2 * chunk.Length)];
                args[0] = clock;
                args[1] = _settings.GraceMilliseconds;
                args[2] = (long)_settings.HeartbeatInterval.TotalMilliseconds;
                for (var i = 0; i < chunk.Length; i++)
                {
                    args[3 + (2 * i)] = chunk[i].Key;
                    args[4 + (2 * i)] = chunk[i].Value.DisconnectedAtMilliseconds;
                }

                var reply = RestoreReply.Read(await _connection.EvaluateAsync("re-register grace periods", RedisScripts.RestoreGraces, keys, args).ConfigureAwait(false));
                consistent &= epoch == reply.Epoch;
                restored += reply.Restored;
            }

            // A disconnect that raced the restore may have been undone by it: undo the restore instead.
            foreach (var (entry, _) in live.Where(static e => e.Entry.Removed))
            {
                await _disconnect(shard, entry.Member, entry.UserId, "re-register live connections").ConfigureAwait(false);
            }

            // With mixed epochs the shard was reset again mid-way; keep the old one so the next check repeats.
            if (consistent)
            {
                Volatile.Write(ref _epochs[shard], epoch);
            }

            Log.ShardRestored(_logger, shard, restored);
        }
#pragma warning disable CA1031 // A restore runs in the background and is awaited on dispose: it logs every failure and never faults.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.ShardRestoreFailed(_logger, shard, exception);
        }
        finally
        {
            Volatile.Write(ref _restoring[shard], 0);
        }
    }
}
