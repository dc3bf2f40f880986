using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// Puts a shard's record of this node back, silently, after the shard lost its data or went back in
/// time (FLUSHALL, a restart empty or from a snapshot, a failover: the scripts start a new epoch and
/// answer <see cref="LeaseStatus.DataLost"/>): the node's hash is rewritten from the connections the
/// node holds, users only the old record had go offline without a report, and the grace periods the
/// node holds are put back. A restore runs alone on its shard (<see cref="ShardGate"/>), one at a time
/// per shard; every restore started is awaited on dispose.
/// </summary>
internal sealed class DataLossRecovery : IAsyncDisposable
{
    private readonly RedisConnection _connection;
    private readonly RedisStoreSettings _settings;
    private readonly RedisServerClock _clock;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly LocalNode _node;
    private readonly Task?[] _running;
    private readonly ConcurrentDictionary<Task, byte> _restores = new();
    private readonly Action _restored;
    private readonly Lock _lock = new();
    private volatile bool _stopping;

    /// <param name="context">The store's connection, settings, clocks and logger.</param>
    /// <param name="node">What this node holds.</param>
    /// <param name="restored">Called after each restore that succeeded (the node's connections get their snapshot again once the shard settled).</param>
    public DataLossRecovery(RedisStoreContext context, LocalNode node, Action restored)
    {
        (_connection, _, _settings, _clock, _timeProvider, _logger) = context;
        _node = node;
        _restored = restored;
        _running = new Task?[node.ShardCount];
    }

    /// <summary>
    /// Restores the shard, or joins the restore already running. Never throws: a failed restore is
    /// logged, the shard keeps its old epoch and the next script or lease renewal starts another.
    /// </summary>
    public Task RestoreAsync(int shard)
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return Task.CompletedTask;
            }

            if (_running[shard] is { IsCompleted: false } running)
            {
                return running;
            }

            var restore = Task.Run(() => RestoreShardAsync(shard));
            _running[shard] = restore;
            _restores.TryAdd(restore, 0);
            _ = restore.ContinueWith(
                static (done, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(done, out _),
                _restores, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return restore;
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        await Task.WhenAll(_restores.Keys).ConfigureAwait(false);
    }

    private Task RestoreShardAsync(int shard) =>
        _node.Gate(shard).RunExclusiveAsync(async () =>
        {
            try
            {
                var lease = _node.Lease(shard);

                // Removals waiting for a retry are not in what the node holds: retried after this restore they
                // would take another connection's count.
                _node.DropRetries(shard);

                var now = _timeProvider.GetTimestamp();
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var pair in _node.Connections)
                {
                    var entry = pair.Value;
                    if (entry.Shard == shard && _node.IsCounted(entry))
                    {
                        counts[entry.UserId] = counts.GetValueOrDefault(entry.UserId) + 1;
                    }
                }

                var graces = new List<KeyValuePair<string, LocalGrace>>();
                foreach (var pair in _node.Graces)
                {
                    if (pair.Value.EndsAt <= now)
                    {
                        _node.Graces.TryRemove(pair);
                    }
                    else if (pair.Value.Shard == shard)
                    {
                        graces.Add(pair);
                    }
                }

                var args = new RedisValue[6 + (2 * counts.Count) + (2 * graces.Count)];
                args[0] = lease.Id;
                args[1] = _clock.Argument();
                args[2] = _settings.TtlMilliseconds;
                args[3] = _settings.GraceMilliseconds;
                args[4] = _settings.SettleMilliseconds;
                args[5] = counts.Count;
                var i = 6;
                foreach (var (user, count) in counts)
                {
                    args[i++] = user;
                    args[i++] = count;
                }

                foreach (var (user, grace) in graces)
                {
                    args[i++] = user;
                    args[i++] = grace.DisconnectedAtMilliseconds;
                }

                var reply = RestoreReply.Read(await _connection.EvaluateAsync("re-register live connections", RedisScripts.Restore, lease.Keys, args).ConfigureAwait(false));
                lease.Created = true;
                if (reply.Epoch is { } epoch)
                {
                    _node.SetEpoch(shard, epoch);
                }

                Log.ShardRestored(_logger, shard, reply.Restored);
                _restored();
                if (reply.Late)
                {
                    // The other nodes' resyncs ran without these users: ask every node for one more.
                    await AskForResyncAsync(shard).ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // A restore runs in the background and is awaited on dispose: it logs every failure and never faults.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.ShardRestoreFailed(_logger, shard, exception);
            }
        });

    /// <summary>Asks every node for a resync; the restore itself succeeded, so a failure here is logged as its own.</summary>
    private async Task AskForResyncAsync(int shard)
    {
        try
        {
            await _connection.PublishResyncAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Runs inside a background restore that never faults: logged, and the next event or reconnect heals the views.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.ResyncRequestFailed(_logger, shard, exception);
        }
    }
}
