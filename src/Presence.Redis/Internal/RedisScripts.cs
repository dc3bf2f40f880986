namespace Presence.Redis.Internal;

/// <summary>
/// The Lua scripts. Each decides a transition atomically in one round trip, touches only the keys
/// passed in <c>KEYS</c> (one shard, one hash slot) and reads the time from Redis (<c>TIME</c>), so
/// node clocks never matter. <c>clock</c> arguments are empty in production; tests pass a fixed
/// server time in milliseconds through the store's test-only clock override.
/// </summary>
internal static class RedisScripts
{
    private const string Prelude = """
        local function now_ms(clock)
          if clock ~= '' then return tonumber(clock) end
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local function epoch(key)
          local e = redis.call('GET', key)
          if not e then
            local t = redis.call('TIME')
            e = t[1] .. '.' .. t[2]
            redis.call('SET', key, e)
          end
          return e
        end

        """;

    /// <summary>
    /// Connect. KEYS: expiry, users, epoch. ARGV: member, userId, ttlMs, clock.
    /// Returns {1 when the user came online else 0, shard epoch}.
    /// </summary>
    public const string Connect = Prelude + """
        local e = epoch(KEYS[3])
        local deadline = now_ms(ARGV[4]) + tonumber(ARGV[3])
        if redis.call('ZADD', KEYS[1], 'GT', deadline, ARGV[1]) == 1
           and redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then
          return {1, e}
        end
        return {0, e}
        """;

    /// <summary>
    /// A batch of heartbeats for one shard. KEYS: expiry, users, epoch. ARGV: ttlMs, clock,
    /// the epoch the node last synced with ('' when none), then pairs member, userId.
    /// A missing member is registered again. It reports the user coming online only when the
    /// node's epoch is current: otherwise the shard lost its data (restart, FLUSHALL) and the
    /// connection never really went away, so the re-registration is silent.
    /// Returns {shard epoch, then per pair 1 when the user came online else 0}.
    /// </summary>
    public const string RefreshBatch = Prelude + """
        local e = epoch(KEYS[3])
        local silent = ARGV[3] ~= '' and ARGV[3] ~= e
        local deadline = now_ms(ARGV[2]) + tonumber(ARGV[1])
        local out = {e}
        for i = 4, #ARGV, 2 do
          local r = 0
          if redis.call('ZADD', KEYS[1], 'GT', deadline, ARGV[i]) == 1
             and redis.call('HINCRBY', KEYS[2], ARGV[i + 1], 1) == 1 and not silent then
            r = 1
          end
          out[#out + 1] = r
        end
        return out
        """;

    /// <summary>
    /// Disconnect. KEYS: expiry, users. ARGV: member, userId.
    /// Returns 1 when it was the user's last connection (the user went offline) else 0.
    /// </summary>
    public const string Disconnect = """
        if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
        if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then
          redis.call('HDEL', KEYS[2], ARGV[2])
          return 1
        end
        return 0
        """;

    /// <summary>
    /// Sweep one shard. KEYS: expiry, users. ARGV: limit (0 only probes), clock.
    /// Reads the oldest deadlines first (ZRANGEBYSCORE ... LIMIT), so the cost is O(expired).
    /// Returns {1 when more expired connections remain else 0, removed count, users who went offline...}.
    /// </summary>
    public const string Sweep = Prelude + """
        local limit = tonumber(ARGV[1])
        local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms(ARGV[2]), 'LIMIT', 0, limit + 1)
        local n = #expired
        local more = 0
        if n > limit then n = limit; more = 1 end
        local out = {more, n}
        for i = 1, n do
          local m = expired[i]
          redis.call('ZREM', KEYS[1], m)
          local user = string.sub(m, 1, string.find(m, '\n', 1, true) - 1)
          if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then
            redis.call('HDEL', KEYS[2], user)
            out[#out + 1] = user
          end
        end
        return out
        """;

    /// <summary>
    /// Silently re-registers a node's live connections after the shard lost its data.
    /// KEYS: expiry, users, epoch. ARGV: clock, then triples member, userId, remaining lease ms.
    /// A member already present (a heartbeat got there first) is left alone.
    /// Returns {shard epoch, number re-registered}.
    /// </summary>
    public const string Restore = Prelude + """
        local e = epoch(KEYS[3])
        local now = now_ms(ARGV[1])
        local restored = 0
        for i = 2, #ARGV, 3 do
          if redis.call('ZADD', KEYS[1], 'NX', now + tonumber(ARGV[i + 2]), ARGV[i]) == 1 then
            redis.call('HINCRBY', KEYS[2], ARGV[i + 1], 1)
            restored = restored + 1
          end
        end
        return {e, restored}
        """;
}
