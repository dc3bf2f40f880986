namespace Presence.Redis.Internal;

/// <summary>What <see cref="RedisScripts.Disconnect"/> decided; the values are the script's first reply item.</summary>
internal enum DisconnectOutcome
{
    /// <summary>The connection was not registered, or the user has other live connections.</summary>
    None = 0,

    /// <summary>The last connection went: the user is offline.</summary>
    WentOffline = 1,

    /// <summary>The last connection went and the offline grace period started.</summary>
    GraceStarted = 2,
}
