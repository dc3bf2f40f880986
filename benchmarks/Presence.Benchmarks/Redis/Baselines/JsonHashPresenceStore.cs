using System.Text.Json;
using StackExchange.Redis;

namespace Presence.Benchmarks.Redis.Baselines;

/// <summary>
/// Baseline (b), JSON in a hash: each user's connection ids are a JSON array in one hash field,
/// read, modified in the app and written back; a second hash maps each connection to a JSON
/// record (owner, connect time, last ping); a set holds the online users. Connect: HGET the
/// connection (owner check), HGET the user's array, HSET it back, HSET the connection, SISMEMBER
/// online, and SADD when the user was not in it (6 round trips when the user comes online).
/// Disconnect: HGET the connection, HGET the array, HSET or HDEL it, HDEL the connection, and when
/// the array emptied SREM online plus HSET last-seen (6). A heartbeat is HGET + HSET of the
/// connection record. Every step is awaited; nothing is atomic.
/// </summary>
internal sealed class JsonHashPresenceStore(IDatabase database, string prefix) : IRedisPresenceBaseline
{
    private readonly RedisKey _userConnections = prefix + ":user-connections";
    private readonly RedisKey _connections = prefix + ":connections";
    private readonly RedisKey _online = prefix + ":online";
    private readonly RedisKey _lastSeen = prefix + ":last-seen";

    public async Task<bool> ConnectAsync(string userId, string connectionId)
    {
        var existing = await database.HashGetAsync(_connections, connectionId).ConfigureAwait(false);
        if (existing.HasValue && JsonSerializer.Deserialize<ConnectionRecord>(existing.ToString())!.UserId != userId)
        {
            throw new ArgumentException($"Connection {connectionId} belongs to another user.", nameof(connectionId));
        }

        var list = Read(await database.HashGetAsync(_userConnections, userId).ConfigureAwait(false));
        if (!list.Contains(connectionId))
        {
            list.Add(connectionId);
        }

        await database.HashSetAsync(_userConnections, userId, JsonSerializer.Serialize(list)).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await database.HashSetAsync(_connections, connectionId, JsonSerializer.Serialize(new ConnectionRecord(userId, now, now))).ConfigureAwait(false);
        if (await database.SetContainsAsync(_online, userId).ConfigureAwait(false))
        {
            return false;
        }

        await database.SetAddAsync(_online, userId).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> DisconnectAsync(string userId, string connectionId)
    {
        var existing = await database.HashGetAsync(_connections, connectionId).ConfigureAwait(false);
        if (!existing.HasValue)
        {
            return false;
        }

        var list = Read(await database.HashGetAsync(_userConnections, userId).ConfigureAwait(false));
        list.Remove(connectionId);
        if (list.Count > 0)
        {
            await database.HashSetAsync(_userConnections, userId, JsonSerializer.Serialize(list)).ConfigureAwait(false);
        }
        else
        {
            await database.HashDeleteAsync(_userConnections, userId).ConfigureAwait(false);
        }

        await database.HashDeleteAsync(_connections, connectionId).ConfigureAwait(false);
        if (list.Count > 0)
        {
            return false;
        }

        await database.SetRemoveAsync(_online, userId).ConfigureAwait(false);
        await database.HashSetAsync(_lastSeen, userId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ConfigureAwait(false);
        return true;
    }

    public async Task HeartbeatAsync(string userId, string connectionId)
    {
        var existing = await database.HashGetAsync(_connections, connectionId).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var record = existing.HasValue
            ? JsonSerializer.Deserialize<ConnectionRecord>(existing.ToString())! with { LastPing = now }
            : new ConnectionRecord(userId, now, now);
        await database.HashSetAsync(_connections, connectionId, JsonSerializer.Serialize(record)).ConfigureAwait(false);
    }

    private static List<string> Read(RedisValue json) =>
        json.HasValue ? JsonSerializer.Deserialize<List<string>>(json.ToString()) ?? [] : [];
}
