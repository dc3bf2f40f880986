namespace Presence.Redis.Internal;

/// <summary>
/// The Lua scripts. Each decides a transition atomically in one round trip, touches only one
/// shard's keys (one hash slot) and reads the time from Redis (<c>TIME</c>), so node clocks never
/// matter. <c>clock</c> arguments are empty in production; tests pass a fixed server time in
/// milliseconds through the store's test-only clock override.
/// </summary>
/// <remarks>
/// <para>
/// The data model is one of node leases (docs/redis.md, "Node leases"): Redis never hears a
/// heartbeat. Each node holds the leases of its own connections in memory and, per shard, one
/// lease of its own in <c>nodes</c> plus a hash of the users it holds (userId → its connections of
/// that user). Redis hears about a connection only when it appears or disappears, and about a node
/// when its lease is renewed. A node whose lease ends is moved to <c>dead</c> and its hash swept.
/// </para>
/// <para>
/// Every script gets the shard's nine keys (<see cref="RedisShardKeys.Keys"/>): KEYS[1] nodes, KEYS[2]
/// users, KEYS[3] epoch, KEYS[4] grace, KEYS[5] status, KEYS[6] seen, KEYS[7] ver, KEYS[8] dead,
/// KEYS[9] conns; the scripts a node runs on its own connections also get its hash as KEYS[10]. The
/// invariants: a user is shown online exactly while it has a <c>users</c> field, which holds the
/// version of its last reported change; a user with a field is held by a listed node or is in
/// <c>grace</c>, never both; an offline user's version is in <c>ver</c> while it is remembered in
/// <c>seen</c>; every reported change gets <c>max(last + 1, Redis time in microseconds)</c>, so versions
/// keep increasing after a user is forgotten.
/// </para>
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
        local function fmt(v)
          return string.format('%.0f', v)
        end
        -- A node's hash in this shard: KEYS[2] is '{prefix}:{s}:users'.
        local NP = string.sub(KEYS[2], 1, -6) .. 'n:'
        -- The shard's epoch: '[S]ms.microseconds:run_id', started at ms (the decision clock) on the server
        -- run_id. A missing key (FLUSHALL, restart empty) or another server's run id (a restart, which loads
        -- a snapshot or an AOF that may be behind; a failover to a replica that may lag) starts a new one,
        -- so every node puts its connections back and re-states its grace periods. 'S' marks an epoch
        -- started over lost data (an old epoch was there, or the caller knew one): it settles (below).
        -- A new epoch also gives every lease the data holds a full TTL from now: a snapshot's leases may
        -- have ended meanwhile, but their nodes are alive until they fail to renew after this point.
        local function epoch(key, ms, ttl, known)
          local run = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
          local e = redis.call('GET', key)
          if not e or string.sub(e, -#run - 1) ~= ':' .. run then
            local t = redis.call('TIME')
            local lost = e or known ~= ''
            e = (lost and 'S' or '') .. fmt(ms) .. '.' .. t[2] .. ':' .. run
            redis.call('SET', key, e)
            local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
            for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], ms + ttl, id) end
            -- The data's grace periods are unconfirmed (a negative score): the node that started one states it
            -- again in its restore; one nobody states ended, or was cancelled, after the data's point in time.
            if lost then
              local graced = redis.call('ZRANGEBYSCORE', KEYS[4], 0, '+inf', 'WITHSCORES')
              for i = 1, #graced, 2 do redis.call('ZADD', KEYS[4], -tonumber(graced[i + 1]) - 1, graced[i]) end
            end
            return e, true
          end
          return e, false
        end
        -- Whether the shard's data settles: an epoch started over lost data less than hold ms ago. Every
        -- live node renews at least twice per heartbeat interval, and restores when a renewal finds a new
        -- epoch; until then a user may have a holder that has not put its connections back yet, so nobody
        -- is taken offline for lack of a holder, and no grace period or dead node is ended.
        local function settling(ms, hold)
          local started = string.match(redis.call('GET', KEYS[3]) or '', '^S(%d+)%.')
          return started ~= nil and tonumber(started) + hold > ms, tonumber(started)
        end
        -- The node's lease: 1 renewed (or created, when may_create), -1 lost (the lease ended and was
        -- swept: its users were reported offline), -2 the shard lost its data since the epoch the node
        -- knows (the node restores it first). Also returns the epoch.
        local function lease(node, ms, ttl, known, may_create)
          local e = epoch(KEYS[3], ms, ttl, known)
          if known ~= '' and known ~= e then return -2, e end
          if may_create ~= '1' and not redis.call('ZSCORE', KEYS[1], node) then return -1, e end
          redis.call('ZADD', KEYS[1], 'GT', ms + ttl, node)
          return 1, e
        end
        -- Whether a listed node (alive, or ended but not yet swept) holds a connection of the user.
        local function held(user, ids)
          for _, id in ipairs(ids) do
            if redis.call('HEXISTS', NP .. id, user) == 1 then return true end
          end
          return false
        end
        local function came_online(user, us)
          local v = math.max((tonumber(redis.call('HGET', KEYS[7], user)) or 0) + 1, us)
          redis.call('HSET', KEYS[2], user, fmt(v))
          redis.call('HDEL', KEYS[7], user)
          redis.call('ZREM', KEYS[6], user)
          return v
        end
        local function went_offline(user, at, us)
          local v = math.max((tonumber(redis.call('HGET', KEYS[2], user)) or 0) + 1, us)
          redis.call('HDEL', KEYS[2], user)
          redis.call('HDEL', KEYS[5], user)
          redis.call('ZREM', KEYS[4], user)
          redis.call('ZADD', KEYS[6], at, user)
          redis.call('HSET', KEYS[7], user, fmt(v))
          return v
        end

        """;

    /// <summary>
    /// Registers a connection. KEYS[10]: the node's hash. ARGV: node id, userId, ttlMs, clock, the
    /// epoch the node knows ('' when none), '1' when the node may create its lease in this shard, holdMs
    /// (how long a new epoch settles). After lost data a user it brings online is reported even when the
    /// watchers were shown the user online already (that is lost with the data), and so is a user the
    /// restored data shows online from before the epoch: one extra <c>presence:online</c>, never a missing one.
    /// Returns {1 came online | 0 no change | -1 lease lost | -2 data lost, the user's new version (0
    /// when none), the decision time ms, the shard epoch when it differs from the node's else ''}.
    /// </summary>
    public const string Connect = Prelude + """
        local ms, us = now(ARGV[4])
        local l, e = lease(ARGV[1], ms, tonumber(ARGV[3]), ARGV[5], ARGV[6])
        if e == ARGV[5] then e = '' end
        if l < 0 then return {l, 0, ms, e} end
        redis.call('HINCRBY', KEYS[9], ARGV[1], 1)
        if redis.call('HINCRBY', KEYS[10], ARGV[2], 1) > 1 then return {0, 0, ms, e} end
        local shown = redis.call('HGET', KEYS[2], ARGV[2])
        if shown then
          redis.call('ZREM', KEYS[4], ARGV[2])
          -- While the shard settles after lost data, a field the data brought back (older than the epoch) may
          -- predate an offline the watchers were told: say online again (at worst once more than needed).
          local hold, started = settling(ms, tonumber(ARGV[7]))
          if hold and tonumber(shown) < started * 1000 then return {1, came_online(ARGV[2], us), ms, e} end
          -- Online on another node, or back inside the grace period: nobody was told the user left.
          return {0, 0, ms, e}
        end
        return {1, came_online(ARGV[2], us), ms, e}
        """;

    /// <summary>
    /// Removes a connection. KEYS[10]: the node's hash. ARGV: node id, userId, graceMs, clock, ttlMs,
    /// the epoch the node knows, holdMs (how long a new epoch settles). With a grace period, or while the
    /// shard's data settles after a new epoch, the user's last connection's removal parks the
    /// user in <c>grace</c> (scored with the disconnect time) instead of taking them offline.
    /// Returns {outcome, version, time ms}: {0, 0, 0} when nothing changed, {1, the user's new version,
    /// disconnect time ms} when the user went offline, {2, 0, disconnect time ms} when a grace period
    /// started, {-1 | -2, 0, 0} when the node's lease was lost or the shard lost its data.
    /// </summary>
    public const string Disconnect = Prelude + """
        local ms, us = now(ARGV[4])
        local l = lease(ARGV[1], ms, tonumber(ARGV[5]), ARGV[6], '0')
        if l < 0 then return {l, 0, 0} end
        local n = tonumber(redis.call('HGET', KEYS[10], ARGV[2]))
        if not n then return {0, 0, 0} end
        redis.call('HINCRBY', KEYS[9], ARGV[1], -1)
        if n > 1 then
          redis.call('HINCRBY', KEYS[10], ARGV[2], -1)
          return {0, 0, 0}
        end
        redis.call('HDEL', KEYS[10], ARGV[2])
        if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 0 or held(ARGV[2], redis.call('ZRANGE', KEYS[1], 0, -1)) then
          return {0, 0, 0}
        end
        if tonumber(ARGV[3]) > 0 or settling(ms, tonumber(ARGV[7])) then
          redis.call('ZADD', KEYS[4], ms, ARGV[2])
          return {2, 0, ms}
        end
        return {1, went_offline(ARGV[2], ms, us), ms}
        """;

    /// <summary>
    /// Renews the node's lease in one shard. ARGV: node id, clock, ttlMs, the epoch the node knows.
    /// Returns {1 | -1 | -2 (see <c>lease</c>), the shard epoch}.
    /// </summary>
    public const string Renew = Prelude + """
        local ms = now(ARGV[2])
        local l, e = lease(ARGV[1], ms, tonumber(ARGV[3]), ARGV[4], '0')
        return {l, e}
        """;

    /// <summary>
    /// Sweeps one shard. KEYS[10]: the node's hash. ARGV: node id, clock, ttlMs, graceMs,
    /// lastSeenRetentionMs, limit (0 only probes), the epoch the node knows, lease mode ('c' renew or
    /// create, 'r' renew, 'n' the node expires nothing here: leave its lease and the epoch alone), holdMs
    /// (how long a new epoch settles), then pairs userId, how many ms ago the lease ended, one per
    /// connection of this node that expired. While the shard settles, an expired last connection parks
    /// its user in <c>grace</c>, and no dead node or grace period is ended: a node may not have put its
    /// connections back yet.
    /// In order: this node's expired connections; nodes whose lease ended are moved to <c>dead</c> and
    /// their hashes swept (HRANDFIELD ... up to the budget: the cost is O(swept)); ended grace periods,
    /// oldest first; then up to <c>limit</c> last-seen times past the retention, with their versions.
    /// Returns {1 when more remain else 0, connections removed, entries processed, lease (1 | -1 | -2),
    /// the shard epoch when it differs from the node's else '', then per user who went offline:
    /// userId, offline time ms (the lease's end, or the user's last decided change when later; or the
    /// disconnect that started the grace period), 'e' (expired) or 'd' (disconnected), new version}.
    /// </summary>
    public const string Sweep = Prelude + """
        local node = ARGV[1]
        local ms, us = now(ARGV[2])
        local limit = tonumber(ARGV[6])
        -- Without expiries of its own the node only probes: no lease or epoch work (its renewal does both).
        local l, e = 1, ''
        if ARGV[8] ~= 'n' then
          l, e = lease(node, ms, tonumber(ARGV[3]), ARGV[7], ARGV[8] == 'c' and '1' or '0')
          if e == ARGV[7] then e = '' end
        end
        local out = {0, 0, 0, l, e}
        if l == -2 then return out end
        local function offline(user, at, reason)
          at = tonumber(at)
          if reason == 'e' then
            -- Never stamped before the user's last decided change (a status set after the lease ended):
            -- a version is never below its decision time in microseconds, so version / 1000 bounds that
            -- time from above; now bounds it for a clock that stepped back.
            local last = math.min(math.floor((tonumber(redis.call('HGET', KEYS[2], user)) or 0) / 1000), ms)
            if last > at then at = last end
          end
          out[#out + 1] = user; out[#out + 1] = at; out[#out + 1] = reason
          out[#out + 1] = went_offline(user, at, us)
        end
        -- Nodes whose lease ended stop counting as holders, then are swept below.
        local ended = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ms, 'WITHSCORES')
        -- Before ending anything, make sure the data is the epoch the node knows: data restored from a
        -- snapshot holds leases and grace periods that ended while the nodes were alive.
        if ARGV[8] == 'n' and (#ended > 0 or redis.call('EXISTS', KEYS[8]) == 1
            or #redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ms - tonumber(ARGV[4]), 'LIMIT', 0, 1) > 0) then
          local current, created = epoch(KEYS[3], ms, tonumber(ARGV[3]), ARGV[7])
          if created or (ARGV[7] ~= '' and current ~= ARGV[7]) then
            out[4] = -2; out[5] = current
            return out
          end
          if current ~= ARGV[7] then out[5] = current end
          ended = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ms, 'WITHSCORES')
        end
        for i = 1, #ended, 2 do
          if ended[i] ~= node or l ~= 1 then
            redis.call('ZADD', KEYS[8], ended[i + 1], ended[i])
            redis.call('ZREM', KEYS[1], ended[i])
          end
        end
        local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
        local processed, removed = 0, 0
        local hold = settling(ms, tonumber(ARGV[9]))
        -- This node's connections that expired (their clients stopped pinging).
        if l == 1 then
          for i = 10, #ARGV, 2 do
            local user = ARGV[i]
            local n = tonumber(redis.call('HGET', KEYS[10], user))
            if n then
              removed = removed + 1
              if n > 1 then
                redis.call('HINCRBY', KEYS[10], user, -1)
              else
                redis.call('HDEL', KEYS[10], user)
                if redis.call('HEXISTS', KEYS[2], user) == 1 and not held(user, ids) then
                  if hold then
                    redis.call('ZADD', KEYS[4], ms - tonumber(ARGV[i + 1]), user)
                  else
                    offline(user, ms - tonumber(ARGV[i + 1]), 'e')
                  end
                end
              end
            end
          end
          processed = (#ARGV - 9) / 2
          if removed > 0 then redis.call('HINCRBY', KEYS[9], node, -removed) end
        end
        local budget = limit - processed
        -- Dead nodes: every connection they held, in one sweep when the budget allows.
        local dead = hold and {} or redis.call('ZRANGE', KEYS[8], 0, -1, 'WITHSCORES')
        for i = 1, #dead, 2 do
          if budget <= 0 then out[1] = 1; break end
          local id, at = dead[i], dead[i + 1]
          local key = NP .. id
          local before = removed
          local fields = redis.call('HRANDFIELD', key, budget, 'WITHVALUES')
          for j = 1, #fields, 2 do
            if budget <= 0 then break end
            local user, count = fields[j], tonumber(fields[j + 1])
            -- The budget counts connections: a user with more than is left loses what is left, and the rest next time.
            local take = math.min(count, budget)
            removed = removed + take
            budget = budget - take
            processed = processed + take
            if take < count then
              redis.call('HINCRBY', key, user, -take)
            else
              redis.call('HDEL', key, user)
              if redis.call('HEXISTS', KEYS[2], user) == 1 and not held(user, ids) then offline(user, at, 'e') end
            end
          end
          if redis.call('EXISTS', key) == 0 then
            redis.call('ZREM', KEYS[8], id)
            redis.call('HDEL', KEYS[9], id)
          else
            redis.call('HINCRBY', KEYS[9], id, -(removed - before))
            out[1] = 1
          end
        end
        -- Grace periods that ended: the user did not come back.
        if hold then
          -- Settling: nothing ends yet (see above); the next sweep after the hold ends what is due.
        elseif budget > 0 then
          local graced = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ms - tonumber(ARGV[4]), 'WITHSCORES', 'LIMIT', 0, budget + 1)
          local g = #graced / 2
          if g > budget then g = budget; out[1] = 1 end
          for i = 1, g do
            local user, at = graced[2 * i - 1], tonumber(graced[2 * i])
            if at >= 0 then
              offline(user, at, 'd')
            else
              -- An unconfirmed grace period from lost data that no node stated again: forgotten without a
              -- report (the resync after the settling shows the watchers who is online).
              redis.call('ZREM', KEYS[4], user)
              if redis.call('HEXISTS', KEYS[2], user) == 1 and not held(user, ids) then went_offline(user, ms, us) end
            end
          end
          processed = processed + g
        elseif redis.call('ZCOUNT', KEYS[4], '-inf', ms - tonumber(ARGV[4])) > 0 then
          out[1] = 1
        end
        out[2] = removed
        out[3] = processed
        -- Forget last-seen times (and the versions kept with them) past the retention.
        if limit > 0 then
          local stale = redis.call('ZCOUNT', KEYS[6], '-inf', ms - tonumber(ARGV[5]))
          if stale > limit then stale = limit end
          if stale > 0 then
            local pruned = redis.call('ZRANGE', KEYS[6], 0, stale - 1)
            for i = 1, #pruned, 1000 do
              local last = math.min(i + 999, #pruned)
              redis.call('ZREM', KEYS[6], unpack(pruned, i, last))
              redis.call('HDEL', KEYS[7], unpack(pruned, i, last))
            end
          end
        end
        return out
        """;

    /// <summary>
    /// Makes the shard's record of this node equal to what the node holds, silently, after the shard
    /// lost its data or went back in time (FLUSHALL, a restart empty or from a snapshot, a failover).
    /// KEYS[10]: the node's hash. ARGV: node id, clock, ttlMs, graceMs, holdMs, the number of users n,
    /// then n pairs userId, connection count, then pairs userId, disconnect time ms of the grace periods
    /// the node started. A user the node holds comes back online without a report (nobody was told it
    /// left); a user only the old record had and nobody holds goes offline without one (its users were
    /// told when the connection closed); a grace period is put back unless the user is online again.
    /// So that every node can put its connections back first, a grace period put back ends no sooner
    /// than <c>holdMs</c> from now. Returns {shard epoch, users and grace periods put back, 1 when users were
    /// put back online after the shard settled (a late restore: the other nodes' resyncs missed them) else 0}.
    /// </summary>
    public const string Restore = Prelude + """
        local ms, us = now(ARGV[2])
        local e = epoch(KEYS[3], ms, tonumber(ARGV[3]), 'restore')
        local node = ARGV[1]
        redis.call('ZREM', KEYS[8], node)
        redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[3]), node)
        local old = redis.call('HKEYS', KEYS[10])
        redis.call('DEL', KEYS[10])
        local mine, total, restored = {}, 0, 0
        local last = 6 + 2 * tonumber(ARGV[6])
        for i = 7, last, 2 do
          local user, count = ARGV[i], tonumber(ARGV[i + 1])
          mine[user] = true
          total = total + count
          redis.call('HSET', KEYS[10], user, count)
          local shown = tonumber(redis.call('HGET', KEYS[2], user))
          if not shown then
            came_online(user, us)
            restored = restored + 1
          else
            redis.call('ZREM', KEYS[4], user)
            -- Confirmed by its holder: a field from the lost data gets a version of this epoch (silently).
            if shown < us then redis.call('HSET', KEYS[2], user, fmt(math.max(shown + 1, us))) end
          end
        end
        redis.call('HSET', KEYS[9], node, total)
        local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
        for _, user in ipairs(old) do
          if not mine[user] and redis.call('HEXISTS', KEYS[2], user) == 1 and not held(user, ids)
             and not redis.call('ZSCORE', KEYS[4], user) then
            went_offline(user, ms, us)
          end
        end
        local floor = ms + tonumber(ARGV[5]) - tonumber(ARGV[4])
        for i = last + 1, #ARGV, 2 do
          if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0 then
            came_online(ARGV[i], us)
            redis.call('ZADD', KEYS[4], math.max(tonumber(ARGV[i + 1]), floor), ARGV[i])
            restored = restored + 1
          elseif redis.call('ZSCORE', KEYS[4], ARGV[i]) then
            -- The data held it too: confirmed (see epoch).
            redis.call('ZADD', KEYS[4], math.max(tonumber(ARGV[i + 1]), floor), ARGV[i])
          end
        end
        -- Users put back online after the shard settled were missing from every snapshot read meanwhile.
        local late = (restored > 0 and not settling(ms, tonumber(ARGV[5]))) and 1 or 0
        return {e, restored, late}
        """;

    /// <summary>
    /// Sets an online user's status. ARGV: userId, status, clock, ttlMs, the epoch the node knows, holdMs.
    /// A user with no live connection (offline, or inside the grace period) cannot set one, nor, while the
    /// shard settles after lost data, a user whose field the data brought back and no holder has confirmed
    /// yet; <c>available</c> is stored as no status at all.
    /// Returns {outcome, version, time ms}: outcome 0 changed (with the user's new version and the
    /// decision time), 1 unchanged, 2 not online (version and time 0) — the values of <see cref="StatusChange"/>.
    /// </summary>
    public const string SetStatus = Prelude + """
        local ms, us = now(ARGV[3])
        epoch(KEYS[3], ms, tonumber(ARGV[4]), ARGV[5])
        local v = redis.call('HGET', KEYS[2], ARGV[1])
        if not v or redis.call('ZSCORE', KEYS[4], ARGV[1]) then return {2, 0, 0} end
        -- While the shard settles after lost data, a field the data brought back (older than the epoch) is not
        -- confirmed by its holder yet: the user may have left since (an offline the restart rolled back).
        local hold, started = settling(ms, tonumber(ARGV[6]))
        if hold and tonumber(v) < started * 1000 then return {2, 0, 0} end
        if (redis.call('HGET', KEYS[5], ARGV[1]) or 'available') == ARGV[2] then return {1, 0, 0} end
        if ARGV[2] == 'available' then
          redis.call('HDEL', KEYS[5], ARGV[1])
        else
          redis.call('HSET', KEYS[5], ARGV[1], ARGV[2])
        end
        local next = math.max(tonumber(v) + 1, us)
        redis.call('HSET', KEYS[2], ARGV[1], fmt(next))
        return {0, next, ms}
        """;

    /// <summary>
    /// Reads the presence of users in one or more shards in one call (all shards of a standalone Redis;
    /// one shard per call on a cluster). KEYS: nine keys per shard, shard after shard. ARGV: clock,
    /// lastSeenRetentionMs, then per shard: the number of users k, then k userIds.
    /// Returns per user, in order: connection count (-1 when offline), status ('' when none), last seen
    /// ms ('' when online, unknown or past the retention), version (0 when none).
    /// </summary>
    public const string GetPresence = """
        local cutoff
        if ARGV[1] ~= '' then
          cutoff = tonumber(ARGV[1])
        else
          local t = redis.call('TIME')
          cutoff = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        cutoff = cutoff - tonumber(ARGV[2])
        local out = {}
        local a = 3
        for base = 0, #KEYS - 1, 9 do
          local nodes, users, grace, status, seen, ver = KEYS[base + 1], KEYS[base + 2], KEYS[base + 4], KEYS[base + 5], KEYS[base + 6], KEYS[base + 7]
          local np = string.sub(users, 1, -6) .. 'n:'
          local ids = redis.call('ZRANGE', nodes, 0, -1)
          local k = tonumber(ARGV[a])
          for i = a + 1, a + k do
            local user = ARGV[i]
            local v = redis.call('HGET', users, user)
            if v then
              local count = 0
              for _, id in ipairs(ids) do
                count = count + (tonumber(redis.call('HGET', np .. id, user)) or 0)
              end
              out[#out + 1] = count
              out[#out + 1] = redis.call('HGET', status, user) or ''
              out[#out + 1] = ''
              out[#out + 1] = tonumber(v)
            else
              local s = redis.call('ZSCORE', seen, user)
              if s and tonumber(s) <= cutoff then s = false end
              out[#out + 1] = -1
              out[#out + 1] = ''
              out[#out + 1] = s or ''
              out[#out + 1] = tonumber(redis.call('HGET', ver, user)) or 0
            end
          end
          a = a + k + 1
        end
        return out
        """;

    /// <summary>
    /// Which of the given users are shown online, in one or more shards in one call. KEYS: nine keys
    /// per shard. ARGV: per shard the number of users k, then k userIds. Returns 1 or 0 per user, in order.
    /// </summary>
    public const string GetOnline = """
        local out = {}
        local a = 1
        for base = 0, #KEYS - 1, 9 do
          local users = KEYS[base + 2]
          local k = tonumber(ARGV[a])
          for i = a + 1, a + k do
            out[#out + 1] = redis.call('HEXISTS', users, ARGV[i])
          end
          a = a + k + 1
        end
        return out
        """;
}
