using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// Sends one shard's queued heartbeats to Redis (<see cref="RedisScripts.RefreshBatch"/>, in chunks
/// of the batch size, all in flight together) and completes every caller, whatever happens.
/// </summary>
internal sealed class HeartbeatSender
{
    private const string Operation = "refresh connection leases";

    private readonly RedisConnection _connection;
    private readonly RedisPresenceKeys _keys;
    private readonly RedisStoreSettings _settings;
    private readonly RedisServerClock _clock;
    private readonly DataLossRecovery _recovery;
    private readonly ILogger _logger;

    public HeartbeatSender(RedisStoreContext context, DataLossRecovery recovery)
    {
        (_connection, _keys, _settings, _clock, _, _logger) = context;
        _recovery = recovery;
    }

    /// <summary>Sends <paramref name="requests"/> (all of <paramref name="shard"/>) and completes each one; never throws.</summary>
    public async Task SendAsync(int shard, List<PendingRefresh> requests)
    {
        var keys = _keys.ForShard(shard);
        var known = _recovery.KnownEpoch(shard);
        var clock = _clock.Argument();
        var batchSize = _settings.BatchSize;
        var chunks = new List<(int Start, int Count, Task<RedisResult> Call)>();
        Exception? failure = null;
        try
        {
            var database = await _connection.GetDatabaseAsync(Operation).ConfigureAwait(false);
            for (var start = 0; start < requests.Count; start += batchSize)
            {
                var count = Math.Min(batchSize, requests.Count - start);
                var args = new RedisValue[3 + count];
                args[0] = _settings.TtlMilliseconds;
                args[1] = clock;
                args[2] = known;
                for (var i = 0; i < count; i++)
                {
                    args[3 + i] = requests[start + i].Member;
                }

                chunks.Add((start, count, database.ScriptEvaluateAsync(RedisScripts.RefreshBatch, keys.Keys, args)));
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
                Complete(shard, requests, start, count, RefreshBatchReply.Read(await call.ConfigureAwait(false)));
            }
#pragma warning disable CA1031 // As above: the error goes to the callers.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                var error = RedisConnection.IsFailure(exception) ? _connection.Unavailable(Operation, exception) : exception;
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

    private void Complete(int shard, List<PendingRefresh> requests, int start, int count, RefreshBatchReply reply)
    {
        _recovery.ObserveEpoch(shard, reply.Epoch);

        // The reply lists only the positions that came online, ascending; the rest changed nothing.
        var online = 0;
        var next = reply.CameOnlineCount > 0 ? reply.Position(0) : -1;
        var at = next >= 0 ? reply.At : default;
        for (var i = 0; i < count; i++)
        {
            if (i != next)
            {
                requests[start + i].SetResult(PresenceTransition.None);
                continue;
            }

            requests[start + i].SetResult(PresenceTransition.CameOnline(reply.Version(online), at));
            next = ++online < reply.CameOnlineCount ? reply.Position(online) : -1;
        }
    }
}
