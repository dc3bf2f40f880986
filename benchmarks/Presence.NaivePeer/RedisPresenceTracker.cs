using StackExchange.Redis;

namespace Presence.NaivePeer;

/// <summary>
/// The course PresenceTracker (benchmarks/Presence.Benchmarks/Baselines/CourseTracker.cs) ported straight
/// to Redis: a set of connection ids per user (SADD/SREM, then SCARD decides the transition) and a set of
/// online users per team for the list a new connection gets. Read-then-decide, no expiry, no versions:
/// the races and ghosts the library exists to avoid are left in on purpose.
/// </summary>
internal sealed class RedisPresenceTracker(IConnectionMultiplexer redis)
{
    private IDatabase Database => redis.GetDatabase();

    /// <summary>Adds the connection; <see langword="true"/> when it is the user's first (the user came online).</summary>
    public async Task<bool> ConnectAsync(string userId, string team, string connectionId)
    {
        await Database.SetAddAsync(ConnectionsKey(userId), connectionId);
        if (await Database.SetLengthAsync(ConnectionsKey(userId)) != 1)
        {
            return false;
        }

        await Database.SetAddAsync(OnlineKey(team), userId);
        return true;
    }

    /// <summary>Removes the connection; <see langword="true"/> when it was the user's last (the user went offline).</summary>
    public async Task<bool> DisconnectAsync(string userId, string team, string connectionId)
    {
        await Database.SetRemoveAsync(ConnectionsKey(userId), connectionId);
        if (await Database.SetLengthAsync(ConnectionsKey(userId)) != 0)
        {
            return false;
        }

        await Database.SetRemoveAsync(OnlineKey(team), userId);
        return true;
    }

    /// <summary>All a tracker without expiry can do for a heartbeat: check the connection is known.</summary>
    public Task<bool> HeartbeatAsync(string userId, string connectionId) =>
        Database.SetContainsAsync(ConnectionsKey(userId), connectionId);

    /// <summary>The team's online users.</summary>
    public async Task<string[]> GetOnlineAsync(string team) =>
        [.. (await Database.SetMembersAsync(OnlineKey(team))).Select(static member => member.ToString())];

    private static RedisKey ConnectionsKey(string userId) => "peer:connections:" + userId;

    private static RedisKey OnlineKey(string team) => "peer:online:" + team;
}
