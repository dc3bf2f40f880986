using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>The presence timings and batching the store's parts share, converted once to what the scripts take.</summary>
internal sealed class RedisStoreSettings
{
    public RedisStoreSettings(RedisPresenceStoreOptions options, PresenceOptions presenceOptions)
    {
        RedisPresenceStoreOptionsValidator.ThrowIfInvalid(options);
        ArgumentNullException.ThrowIfNull(presenceOptions);
        if (presenceOptions.ConnectionTtl < TimeSpan.FromMilliseconds(1) || presenceOptions.HeartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(presenceOptions), "PresenceOptions.ConnectionTtl and PresenceOptions.HeartbeatInterval must be positive.");
        }

        Ttl = presenceOptions.ConnectionTtl;
        TtlMilliseconds = (long)Ttl.TotalMilliseconds;
        Grace = presenceOptions.OfflineGracePeriod;

        // Rounded up, so a sub-millisecond grace period still parks the user instead of reporting at once.
        GraceMilliseconds = Grace > TimeSpan.Zero ? (long)Math.Ceiling(Grace.TotalMilliseconds) : 0;
        LastSeenRetentionMilliseconds = (long)Math.Min(presenceOptions.LastSeenRetention.TotalMilliseconds, long.MaxValue / 4);
        HeartbeatInterval = presenceOptions.HeartbeatInterval;
        SettleMilliseconds = (long)(2 * HeartbeatInterval.TotalMilliseconds);
        ResyncOnRequestDelay = presenceOptions.SweepInterval + presenceOptions.SweepInterval;
        ResyncDelay = HeartbeatInterval + HeartbeatInterval + ResyncOnRequestDelay;
        LeaseRenewalPeriod = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(1).Ticks, Math.Min(Ttl.Ticks / 3, HeartbeatInterval.Ticks / 2)));
        BatchSize = options.HeartbeatBatchSize;
        ShardCount = options.ExpiryShards;
    }

    /// <summary>The connection lease.</summary>
    public TimeSpan Ttl { get; }

    public RedisValue TtlMilliseconds { get; }

    /// <summary>The offline grace period; zero for none.</summary>
    public TimeSpan Grace { get; }

    public RedisValue GraceMilliseconds { get; }

    public RedisValue LastSeenRetentionMilliseconds { get; }

    public TimeSpan HeartbeatInterval { get; }

    /// <summary>
    /// How long a shard settles after a new epoch started over lost data: two heartbeat intervals, in which
    /// every live node reconnects (the scale-out connection backs off at most half a heartbeat interval) and
    /// renews at least four times, and so restores. Meanwhile nobody is taken offline for lack of a holder.
    /// </summary>
    public RedisValue SettleMilliseconds { get; }

    /// <summary>How long after a restore (or a reconnect) the node's connections get their snapshot again: the settling (two heartbeat intervals), then two sweeps that end what it held back.</summary>
    public TimeSpan ResyncDelay { get; }

    /// <summary>How long after another node asked for a resync this node's connections get theirs: two sweep intervals.</summary>
    public TimeSpan ResyncOnRequestDelay { get; }

    /// <summary>How often the node renews its lease: <c>min(ConnectionTtl / 3, HeartbeatInterval / 2)</c>, so two renewals can fail before it ends.</summary>
    public TimeSpan LeaseRenewalPeriod { get; }

    /// <summary>The most connections one bulk script call carries.</summary>
    public int BatchSize { get; }

    public int ShardCount { get; }
}
