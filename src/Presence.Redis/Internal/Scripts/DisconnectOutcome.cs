namespace Presence.Redis.Internal;

/// <summary>What <see cref="RedisScripts.Disconnect"/> decided; the values are the script's first reply item.</summary>
internal enum DisconnectOutcome
{
    /// <summary>The shard lost its data: nothing was removed; the node restores the shard.</summary>
    DataLost = -2,

    /// <summary>The node's lease was lost (swept): the connection was no longer counted.</summary>
    LeaseLost = -1,

    /// <summary>The connection was not counted, or the user has other live connections.</summary>
    None = 0,

    /// <summary>The last connection went: the user is offline.</summary>
    WentOffline = 1,

    /// <summary>The last connection went and the offline grace period started.</summary>
    GraceStarted = 2,
}
