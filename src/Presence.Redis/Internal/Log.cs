using Microsoft.Extensions.Logging;

namespace Presence.Redis.Internal;

/// <summary>Presence.Redis's log messages. Event ids are stable; user ids only at Debug.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, EventName = "ShardDataLost", Level = LogLevel.Warning,
        Message = "Redis presence shard {Shard} lost its data (restart, failover or FLUSHALL); put back this node's connections and grace periods silently ({Count} users and grace periods were missing).")]
    public static partial void ShardRestored(ILogger logger, int shard, int count);

    [LoggerMessage(EventId = 2002, EventName = "ShardRestoreFailed", Level = LogLevel.Warning,
        Message = "Re-registering live local connections in Redis presence shard {Shard} failed; retrying on the next check.")]
    public static partial void ShardRestoreFailed(ILogger logger, int shard, Exception exception);

    [LoggerMessage(EventId = 2003, EventName = "LeaseRenewalFailed", Level = LogLevel.Debug,
        Message = "Renewing this node's Redis presence lease failed; retrying on the next renewal.")]
    public static partial void LeaseRenewalFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2006, EventName = "HeartbeatsLate", Level = LogLevel.Warning,
        Message = "Renewing this node's lease (which carries all its heartbeats) took {DelayMilliseconds} ms for {Count} shards; the lease lasts {TtlMilliseconds} ms, so this node's users may be reported offline. Redis or this node is overloaded: see the presence.heartbeat.delay histogram.")]
    public static partial void HeartbeatsLate(ILogger logger, long delayMilliseconds, int count, long ttlMilliseconds);

    [LoggerMessage(EventId = 2007, EventName = "LeaseLost", Level = LogLevel.Warning,
        Message = "This node's lease in Redis presence shard {Shard} ended (no renewal reached Redis for {TtlMilliseconds} ms) and another node reported its users there offline; its live connections register again, and their users come back online, with their next heartbeat.")]
    public static partial void LeaseLost(ILogger logger, int shard, long ttlMilliseconds);

    [LoggerMessage(EventId = 2008, EventName = "ResyncHandlerFailed", Level = LogLevel.Warning,
        Message = "A handler of the presence store's resync request failed; this node's connections may keep a stale view until they reconnect.")]
    public static partial void ResyncHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2009, EventName = "ResyncRequestFailed", Level = LogLevel.Warning,
        Message = "Redis presence shard {Shard} was restored after it had settled, but asking every node for a resync failed; other nodes' connections keep a snapshot without this node's users until their next event or reconnect.")]
    public static partial void ResyncRequestFailed(ILogger logger, int shard, Exception exception);

    [LoggerMessage(EventId = 2005, EventName = "ShardSweepFailed", Level = LogLevel.Warning,
        Message = "Sweeping some Redis presence shards failed; the others were swept and they are retried on the next sweep.")]
    public static partial void ShardSweepFailed(ILogger logger, Exception exception);
}
