using Microsoft.Extensions.Logging;

namespace Presence.Redis.Internal;

/// <summary>What every part of one store shares: its connection, key layout, settings, the scripts' clock, the node's clock and the logger.</summary>
/// <param name="Connection">The store's Redis connection.</param>
/// <param name="Keys">The key layout.</param>
/// <param name="Settings">Lease, grace period, retention, batching.</param>
/// <param name="Clock">The scripts' clock argument (Redis <c>TIME</c> unless a test overrides it).</param>
/// <param name="TimeProvider">The node's clock; only measures how long ago a local connection was seen.</param>
/// <param name="Logger">Logs background failures and recovery.</param>
internal sealed record RedisStoreContext(
    RedisConnection Connection,
    RedisPresenceKeys Keys,
    RedisStoreSettings Settings,
    RedisServerClock Clock,
    TimeProvider TimeProvider,
    ILogger Logger);
