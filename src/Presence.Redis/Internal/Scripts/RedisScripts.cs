namespace Presence.Redis.Internal;

/// <summary>
/// The Lua scripts. Each decides a transition atomically in one round trip, touches only the keys
/// passed in <c>KEYS</c> (one shard, one hash slot) and reads the time from Redis (<c>TIME</c>), so
/// node clocks never matter. <c>clock</c> arguments are empty in production; tests pass a fixed
/// server time in milliseconds through the store's test-only clock override.
/// </summary>
/// <remarks>
/// Every script gets the shard's seven keys (<see cref="RedisPresenceKeys.ForShard"/>): KEYS[1] expiry,
/// KEYS[2] users, KEYS[3] epoch, KEYS[4] grace, KEYS[5] status, KEYS[6] seen, KEYS[7] ver. The invariants
/// the scripts keep: a user's <c>users</c> field is 0 exactly while the user is in <c>grace</c>; a user's
/// <c>ver</c> field lives while the user is online, in grace or remembered in <c>seen</c>, and every
/// change that is reported gets <c>max(ver + 1, Redis time in microseconds)</c>, so versions keep
/// increasing after the field is forgotten.
/// </remarks>
internal static class RedisScripts
{
    private const string Prelude = """
        -- The decision time: milliseconds (scores, timestamps) and microseconds (the version floor).
        local function now(clock)
          if clock ~= '' then
            local ms = tonumber(clock)
            return ms, ms * 1000
          end
          local t = redis.call('TIME')
          local s, us = tonumber(t[1]), tonumber(t[2])
          return s * 1000 + math.floor(us / 1000), s * 1000000 + us
        end
        local function now_ms(clock)
          local ms = now(clock)
          return ms
        end
        -- The user's next version: one more than the last, never below the clock's microseconds.
        local function last_version(user)
          return tonumber(redis.call('HGET', KEYS[7], user)) or 0
        end
        local function set_version(user, previous, us)
          local v = math.max(previous + 1, us)
          redis.call('HSET', KEYS[7], user, string.format('%.0f', v))
          return v
        end
        local function next_version(user, us)
          return set_version(user, last_version(user), us)
        end
        -- The shard's epoch: 'seconds.microseconds:run_id' of the server that started it. A missing key
        -- (FLUSHALL, restart empty) or another server's run id (a restart, which loads a snapshot or an
        -- AOF that may be behind; a failover to a replica that may lag) starts a new one, so every node
        -- puts its connections back, removes the ones it closed and re-states its grace periods.
        local function epoch(key)
          local run = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
          local e = redis.call('GET', key)
          if not e or string.sub(e, -#run - 1) ~= ':' .. run then
            local t = redis.call('TIME')
            e = t[1] .. '.' .. t[2] .. ':' .. run
            redis.call('SET', key, e)
          end
          return e
        end
        -- A member is userId \n connection: the user is everything before the first \n.
        local function user_of(member)
          return string.sub(member, 1, string.find(member, '\n', 1, true) - 1)
        end
        local function count_connection(member)
          local user = user_of(member)
          -- By the invariant, a user with no field is in no grace period: one call instead of HINCRBY + ZREM grace.
          if redis.call('HSETNX', KEYS[2], user, 1) == 0 then
            if redis.call('HINCRBY', KEYS[2], user, 1) ~= 1 then return 0 end
            -- Back inside the grace period: nobody was told the user left, so nobody is told they are back.
            if redis.call('ZREM', KEYS[4], user) == 1 then return 0 end
          end
          redis.call('ZREM', KEYS[6], user)
          return 1
        end
        local function went_offline(user, at)
          redis.call('HDEL', KEYS[2], user)
          redis.call('HDEL', KEYS[5], user)
          redis.call('ZADD', KEYS[6], at, user)
        end

        """;

    /// <summary>
    /// Connect. ARGV: member, ttlMs, clock, the epoch the node last synced with ('' when none).
    /// Returns {1 when the user came online else 0, the user's new version (0 when none), the decision
    /// time ms, the shard epoch when it differs from the node's else ''}.
    /// </summary>
    public const string Connect = Prelude + """
        local e = epoch(KEYS[3])
        local ms, us = now(ARGV[3])
        local r, v = 0, 0
        if redis.call('ZADD', KEYS[1], 'GT', ms + tonumber(ARGV[2]), ARGV[1]) == 1 then
          r = count_connection(ARGV[1])
          if r == 1 then v = next_version(user_of(ARGV[1]), us) end
        end
        if e == ARGV[4] then e = '' end
        return {r, v, ms, e}
        """;

    /// <summary>
    /// A batch of heartbeats for one shard. ARGV: ttlMs, clock, the epoch the node last synced with
    /// ('' when none), then members. A missing member is registered again. It reports
    /// the user coming online only when the node's epoch is current: otherwise the shard lost its
    /// data (restart, FLUSHALL) and the connection never really went away, so the re-registration is silent.
    /// Returns {shard epoch, decision time ms, then per member whose user came online (ascending): its
    /// 1-based position among the members, the user's new version}. Renewals do no version work.
    /// </summary>
    /// <remarks>
    /// Two variadic calls per slice instead of a ZADD per member (a call from Lua costs about a
    /// microsecond on its own, and a batch is nearly always only renewals): <c>ZADD NX</c> with the
    /// score 0, which no lease can have (deadline = now + TTL ≥ 1), counts the missing members; only
    /// when there are some does <c>ZMSCORE</c> tell which. Then <c>ZADD GT</c> gives every member the
    /// deadline. Slices of 1,000 keep <c>unpack</c> below Lua's stack limit.
    /// </remarks>
    public const string RefreshBatch = Prelude + """
        local e = epoch(KEYS[3])
        local silent = ARGV[3] ~= '' and ARGV[3] ~= e
        local ms, us = now(ARGV[2])
        local deadline = ms + tonumber(ARGV[1])
        local out = {e, ms}
        local added = {}
        for first = 4, #ARGV, 1000 do
          local last = math.min(first + 999, #ARGV)
          local args = {}
          for i = first, last do
            args[#args + 1] = 0
            args[#args + 1] = ARGV[i]
          end
          if redis.call('ZADD', KEYS[1], 'NX', unpack(args)) > 0 then
            -- A member listed twice scores 0 at both positions but was added once: count it once.
            local scores = redis.call('ZMSCORE', KEYS[1], unpack(ARGV, first, last))
            local seen = {}
            for i = first, last do
              if scores[i - first + 1] == '0' and not seen[ARGV[i]] then
                seen[ARGV[i]] = true
                added[#added + 1] = i
              end
            end
          end
          for j = 1, #args, 2 do args[j] = deadline end
          redis.call('ZADD', KEYS[1], 'GT', unpack(args))
        end
        for _, i in ipairs(added) do
          if count_connection(ARGV[i]) == 1 and not silent then
            out[#out + 1] = i - 3
            out[#out + 1] = next_version(user_of(ARGV[i]), us)
          end
        end
        return out
        """;

    /// <summary>
    /// Disconnect. ARGV: member, userId, graceMs, clock. With a grace period the last connection's
    /// removal parks the user in <c>grace</c> (scored with the disconnect time) instead of taking them offline.
    /// Returns {outcome, version, time ms}: {0, 0, 0} when nothing changed, {1, the user's new version,
    /// disconnect time ms} when the user went offline, {2, 0, disconnect time ms} when a grace period started.
    /// </summary>
    public const string Disconnect = Prelude + """
        if redis.call('ZREM', KEYS[1], ARGV[1]) == 0
           or redis.call('HINCRBY', KEYS[2], ARGV[2], -1) > 0 then
          return {0, 0, 0}
        end
        local ms, us = now(ARGV[4])
        if tonumber(ARGV[3]) > 0 then
          redis.call('HSET', KEYS[2], ARGV[2], 0)
          redis.call('ZADD', KEYS[4], ms, ARGV[2])
          return {2, 0, ms}
        end
        went_offline(ARGV[2], ms)
        return {1, next_version(ARGV[2], us), ms}
        """;

    /// <summary>
    /// Sweep one shard. ARGV: limit (0 only probes), clock, graceMs, lastSeenRetentionMs.
    /// Takes expired leases first, then ended grace periods, oldest first (ZRANGEBYSCORE ... LIMIT),
    /// so the cost is O(expired); then forgets up to <c>limit</c> last-seen times past the retention,
    /// with their versions (ZCOUNT + ZRANGE, O(log n + pruned)).
    /// Returns {1 when more remain else 0, connections removed, entries processed,
    /// then per user who went offline: userId, offline time ms (the lease's end, or the user's last
    /// decided change when later; or the disconnect that started the grace period), 'e' (expired) or
    /// 'd' (disconnected), the user's new version}.
    /// </summary>
    public const string Sweep = Prelude + """
        -- Per expired member only the HINCRBY that decides the transition; the other writes go out in
        -- bulk calls of at most 1,000 arguments (Lua's unpack has a stack limit).
        local function bulk(command, key, list)
          for i = 1, #list, 1000 do
            redis.call(command, key, unpack(list, i, math.min(i + 999, #list)))
          end
        end
        local limit = tonumber(ARGV[1])
        local now, us = now(ARGV[2])
        local out = {0, 0, 0}
        local gone, seen = {}, {}
        local function offline(user, at, reason)
          local previous = last_version(user)
          at = tonumber(at)
          if reason == 'e' then
            -- Never stamped before the user's last decided change (a status set after the lease ended):
            -- a version is never below its decision time in microseconds, so previous / 1000 bounds
            -- that time from above; now bounds it for a clock that stepped back.
            local last = math.min(math.floor(previous / 1000), now)
            if last > at then at = last end
          end
          gone[#gone + 1] = user
          seen[#seen + 1] = at; seen[#seen + 1] = user
          out[#out + 1] = user; out[#out + 1] = at; out[#out + 1] = reason
          out[#out + 1] = set_version(user, previous, us)
        end
        local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit + 1)
        local n = #expired / 2
        if n > limit then n = limit; out[1] = 1 end
        local members = {}
        for i = 1, n do
          local m, at = expired[2 * i - 1], expired[2 * i]
          members[i] = m
          local user = user_of(m)
          if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then offline(user, at, 'e') end
        end
        bulk('ZREM', KEYS[1], members)
        local budget = limit - n
        local ended = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now - tonumber(ARGV[3]), 'WITHSCORES', 'LIMIT', 0, budget + 1)
        local g = #ended / 2
        if g > budget then g = budget; out[1] = 1 end
        local graced = {}
        for i = 1, g do
          graced[i] = ended[2 * i - 1]
          offline(ended[2 * i - 1], ended[2 * i], 'd')
        end
        bulk('ZREM', KEYS[4], graced)
        -- went_offline for every user above, in bulk: forget the count and the status, remember when.
        bulk('HDEL', KEYS[2], gone)
        bulk('HDEL', KEYS[5], gone)
        bulk('ZADD', KEYS[6], seen)
        out[2] = n
        out[3] = n + g
        if limit > 0 then
          local stale = redis.call('ZCOUNT', KEYS[6], '-inf', now - tonumber(ARGV[4]))
          if stale > limit then stale = limit end
          if stale > 0 then
            local pruned = redis.call('ZRANGE', KEYS[6], 0, stale - 1)
            bulk('ZREM', KEYS[6], pruned)
            bulk('HDEL', KEYS[7], pruned)
          end
        end
        return out
        """;

    /// <summary>
    /// Silently re-registers a node's live connections after the shard lost its data.
    /// ARGV: clock, then triples member, userId, remaining lease ms.
    /// A member already present (a heartbeat got there first) is left alone.
    /// Returns {shard epoch, number re-registered}.
    /// </summary>
    public const string Restore = Prelude + """
        local e = epoch(KEYS[3])
        local now = now_ms(ARGV[1])
        local restored = 0
        for i = 2, #ARGV, 3 do
          if redis.call('ZADD', KEYS[1], 'NX', now + tonumber(ARGV[i + 2]), ARGV[i]) == 1 then
            if redis.call('HINCRBY', KEYS[2], ARGV[i + 1], 1) == 1 then
              redis.call('ZREM', KEYS[4], ARGV[i + 1])
            end
            restored = restored + 1
          end
        end
        return {e, restored}
        """;

    /// <summary>
    /// The shard's epoch, started anew when the shard lost its data or its server changed (the
    /// periodic data-loss check). Returns the epoch.
    /// </summary>
    public const string Epoch = Prelude + """
        return epoch(KEYS[3])
        """;

    /// <summary>
    /// Silently removes connections a node closed, after the shard's data went back in time (a
    /// snapshot or a lagging replica that still has them): their users were already reported offline.
    /// ARGV: clock, then pairs member, userId. A user left with no connection goes offline without a
    /// version (nothing is reported); a grace period the node still holds is put back afterwards.
    /// Returns {shard epoch, number removed}.
    /// </summary>
    public const string Forget = Prelude + """
        local e = epoch(KEYS[3])
        local ms = now_ms(ARGV[1])
        local removed = 0
        for i = 2, #ARGV, 2 do
          if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
            removed = removed + 1
            if redis.call('HINCRBY', KEYS[2], ARGV[i + 1], -1) <= 0 then
              redis.call('ZREM', KEYS[4], ARGV[i + 1])
              went_offline(ARGV[i + 1], ms)
            end
          end
        end
        return {e, removed}
        """;

    /// <summary>
    /// Puts back the grace periods a node started, after the shard lost its data, so those users are
    /// still reported offline when the period ends. ARGV: clock, graceMs, holdMs, then pairs userId,
    /// disconnect time ms. A user with a field in <c>users</c> (a connection restored, re-registered by
    /// a heartbeat or registered first, on any node) is left alone; one whose connection comes back
    /// later leaves the grace period as on any reconnect (<c>count_connection</c>). So that every node
    /// can put its connections back first, a grace period put back ends no sooner than <c>holdMs</c>
    /// from now: its score (the time the offline carries) is raised to <c>now + holdMs - graceMs</c> when lower.
    /// Returns {shard epoch, number put back}.
    /// </summary>
    public const string RestoreGraces = Prelude + """
        local e = epoch(KEYS[3])
        local floor = now_ms(ARGV[1]) + tonumber(ARGV[3]) - tonumber(ARGV[2])
        local restored = 0
        for i = 4, #ARGV, 2 do
          if redis.call('HSETNX', KEYS[2], ARGV[i], 0) == 1 then
            redis.call('ZADD', KEYS[4], 'NX', math.max(tonumber(ARGV[i + 1]), floor), ARGV[i])
            restored = restored + 1
          end
        end
        return {e, restored}
        """;

    /// <summary>
    /// Sets an online user's status. ARGV: userId, status, clock. A user with no live connection (offline,
    /// or inside the grace period) cannot set one; <c>available</c> is stored as no status at all.
    /// Returns {outcome, version, time ms}: outcome 0 changed (with the user's new version and the
    /// decision time), 1 unchanged, 2 not online (version and time 0) — the values of <see cref="StatusChange"/>.
    /// </summary>
    public const string SetStatus = Prelude + """
        local count = redis.call('HGET', KEYS[2], ARGV[1])
        if not count or tonumber(count) <= 0 then return {2, 0, 0} end
        if (redis.call('HGET', KEYS[5], ARGV[1]) or 'available') == ARGV[2] then return {1, 0, 0} end
        if ARGV[2] == 'available' then
          redis.call('HDEL', KEYS[5], ARGV[1])
        else
          redis.call('HSET', KEYS[5], ARGV[1], ARGV[2])
        end
        local ms, us = now(ARGV[3])
        return {0, next_version(ARGV[1], us), ms}
        """;

    /// <summary>
    /// Reads the presence of users in one shard. ARGV: clock, lastSeenRetentionMs, then userIds.
    /// Returns per user: connection count (-1 when offline), status ('' when none), last seen ms
    /// ('' when online, unknown or past the retention), version (0 when none).
    /// </summary>
    public const string GetPresence = Prelude + """
        local cutoff = now_ms(ARGV[1]) - tonumber(ARGV[2])
        local out = {}
        for i = 3, #ARGV do
          local user = ARGV[i]
          local count = redis.call('HGET', KEYS[2], user)
          if count then
            out[#out + 1] = tonumber(count)
            out[#out + 1] = redis.call('HGET', KEYS[5], user) or ''
            out[#out + 1] = ''
          else
            local seen = redis.call('ZSCORE', KEYS[6], user)
            if seen and tonumber(seen) <= cutoff then seen = false end
            out[#out + 1] = -1
            out[#out + 1] = ''
            out[#out + 1] = seen or ''
          end
          out[#out + 1] = tonumber(redis.call('HGET', KEYS[7], user)) or 0
        end
        return out
        """;
}
