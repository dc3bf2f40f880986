using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// Sweeps the shards (<see cref="RedisScripts.Sweep"/>): one script call per shard with expired work,
/// all in flight together, the budget split over them, starting at a different shard each call so
/// none starves. A shard that fails is skipped and retried on the next sweep; what the other shards
/// removed is reported, because those removals stand in Redis and no other sweep will report them.
/// </summary>
internal sealed class ShardSweeper
{
    private const string Operation = "sweep expired connections";

    private readonly RedisConnection _connection;
    private readonly RedisPresenceKeys _keys;
    private readonly RedisStoreSettings _settings;
    private readonly RedisServerClock _clock;
    private readonly ILogger _logger;
    private int _nextShard;

    public ShardSweeper(RedisStoreContext context) => (_connection, _keys, _settings, _clock, _, _logger) = context;

    public async ValueTask<SweepResult> SweepAsync(int maxConnections, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        var database = await _connection.GetDatabaseAsync(Operation, cancellationToken).ConfigureAwait(false);
        var clock = _clock.Argument();
        var shardCount = _keys.ShardCount;
        var start = (int)((uint)Interlocked.Increment(ref _nextShard) % (uint)shardCount);
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
                    RedisScripts.Sweep, _keys.ForShard(candidates[i]).Keys, [limit, clock, _settings.GraceMilliseconds, _settings.LastSeenRetentionMilliseconds]);
            }

            var next = new List<int>();
            for (var i = 0; i < calls.Length; i++)
            {
                SweepReply reply;
                try
                {
                    reply = SweepReply.Read(await calls[i].ConfigureAwait(false));
                }
                catch (Exception exception) when (RedisConnection.IsFailure(exception))
                {
                    failure ??= exception;
                    continue;
                }

                succeeded++;
                removed += reply.Removed;
                remaining -= reply.Processed;
                if (reply.Users is { } users)
                {
                    (sweptUsers ??= []).AddRange(users);
                }

                if (reply.HasMore)
                {
                    next.Add(candidates[i]);
                }
            }

            candidates = next;
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

        return sweptUsers is null && removed == 0 && candidates.Count == 0
            ? SweepResult.Empty
            : new SweepResult(sweptUsers ?? [], removed, hasMore: candidates.Count > 0);
    }
}
