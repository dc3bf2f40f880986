using Microsoft.Extensions.Logging;

namespace Presence.Redis.Internal;

/// <summary>Presence.Redis's log messages. Event ids are stable; user ids only at Debug.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, EventName = "ShardDataLost", Level = LogLevel.Warning,
        Message = "Redis presence shard {Shard} lost its data (restart, failover or FLUSHALL); re-registered {Count} live local connections silently.")]
    public static partial void ShardRestored(ILogger logger, int shard, int count);

    [LoggerMessage(EventId = 2002, EventName = "ShardRestoreFailed", Level = LogLevel.Warning,
        Message = "Re-registering live local connections in Redis presence shard {Shard} failed; retrying on the next check.")]
    public static partial void ShardRestoreFailed(ILogger logger, int shard, Exception exception);

    [LoggerMessage(EventId = 2003, EventName = "DataLossCheckFailed", Level = LogLevel.Debug,
        Message = "Checking Redis presence shards for data loss failed; retrying on the next check.")]
    public static partial void DataLossCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2004, EventName = "HeartbeatFlushFailed", Level = LogLevel.Debug,
        Message = "Sending {Count} heartbeats to Redis presence shard {Shard} failed.")]
    public static partial void HeartbeatFlushFailed(ILogger logger, int count, int shard, Exception exception);

    [LoggerMessage(EventId = 2006, EventName = "HeartbeatsLate", Level = LogLevel.Warning,
        Message = "Heartbeats reached Redis {DelayMilliseconds} ms after they were sent ({Count} in one call); a lease lasts {TtlMilliseconds} ms, so live connections may expire. Redis or this node is overloaded: see the presence.heartbeat.delay histogram.")]
    public static partial void HeartbeatsLate(ILogger logger, long delayMilliseconds, int count, long ttlMilliseconds);

    [LoggerMessage(EventId = 2005, EventName = "ShardSweepFailed", Level = LogLevel.Warning,
        Message = "Sweeping some Redis presence shards failed; the others were swept and they are retried on the next sweep.")]
    public static partial void ShardSweepFailed(ILogger logger, Exception exception);
}
