namespace Presence.Benchmarks.Redis.Baselines;

/// <summary>What the Redis baselines do, each step awaited before the next, as the designs they copy do.</summary>
internal interface IRedisPresenceBaseline
{
    /// <summary>Registers a connection; true when it made the user come online.</summary>
    Task<bool> ConnectAsync(string userId, string connectionId);

    /// <summary>Removes a connection; true when it made the user go offline.</summary>
    Task<bool> DisconnectAsync(string userId, string connectionId);

    /// <summary>A heartbeat, one request per ping (neither design batches).</summary>
    Task HeartbeatAsync(string userId, string connectionId);
}
