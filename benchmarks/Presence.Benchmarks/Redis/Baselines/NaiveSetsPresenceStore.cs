using StackExchange.Redis;

namespace Presence.Benchmarks.Redis.Baselines;

/// <summary>
/// Baseline (a), naive sets: a set of connection ids per user plus a set of online users.
/// Connect: <c>SADD user:{u} c</c>, <c>SCARD</c>, and at 1 <c>SADD online u</c>. Disconnect:
/// <c>SREM</c>, <c>SCARD</c>, and at 0 <c>DEL</c> + <c>SREM online</c>. Every step is awaited, so a
/// transition costs 3 or 4 round trips and the check-then-write is racy (two nodes can both see 1).
/// It keeps no leases: a heartbeat re-adds the connection, which is what heals a lost entry.
/// </summary>
internal sealed class NaiveSetsPresenceStore(IDatabase database, string prefix) : IRedisPresenceBaseline
{
    private readonly RedisKey _online = prefix + ":online";

    public async Task<bool> ConnectAsync(string userId, string connectionId)
    {
        var key = UserKey(userId);
        await database.SetAddAsync(key, connectionId).ConfigureAwait(false);
        var count = await database.SetLengthAsync(key).ConfigureAwait(false);
        if (count != 1)
        {
            return false;
        }

        await database.SetAddAsync(_online, userId).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> DisconnectAsync(string userId, string connectionId)
    {
        var key = UserKey(userId);
        await database.SetRemoveAsync(key, connectionId).ConfigureAwait(false);
        var count = await database.SetLengthAsync(key).ConfigureAwait(false);
        if (count != 0)
        {
            return false;
        }

        await database.KeyDeleteAsync(key).ConfigureAwait(false);
        await database.SetRemoveAsync(_online, userId).ConfigureAwait(false);
        return true;
    }

    public Task HeartbeatAsync(string userId, string connectionId) => database.SetAddAsync(UserKey(userId), connectionId);

    private RedisKey UserKey(string userId) => prefix + ":user:" + userId;
}
