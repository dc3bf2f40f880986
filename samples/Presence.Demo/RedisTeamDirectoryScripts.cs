using StackExchange.Redis;

namespace Presence.Demo;

/// <summary>The Redis team directory's keys, channel and scripts. Every key carries one hash tag, so each script runs on one Redis Cluster slot.</summary>
internal static class RedisTeamDirectoryScripts
{
    public const string Prefix = "{presence-demo}:";

    public const string MembersPrefix = Prefix + "team:";

    /// <summary>Where each change is published, as a cjson array (<see cref="RedisTeamDirectoryChange"/>).</summary>
    public const string Channel = "presence-demo:directory";

    public static readonly RedisKey TeamOfUserKey = Prefix + "team-of-user";

    public static readonly RedisKey VersionKey = Prefix + "version";

    /// <summary>Made anew (from the caller's candidate) whenever it is missing: a different epoch means the directory was emptied.</summary>
    public static readonly RedisKey EpochKey = Prefix + "epoch";

    /// <summary>
    /// KEYS: team-of-user, version, epoch, the team's set. ARGV: user, team, epoch candidate, members prefix, channel.
    /// Nothing to do when the user is on the team already: returns <c>{epoch, version}</c>. Otherwise moves
    /// the user atomically, bumps the version, publishes the change and returns <c>{epoch, version, previous or ""}</c>.
    /// </summary>
    public const string Join = """
        local epoch = redis.call('GET', KEYS[3])
        if not epoch then epoch = ARGV[3]; redis.call('SET', KEYS[3], epoch) end
        local old = redis.call('HGET', KEYS[1], ARGV[1])
        if old == ARGV[2] then return {epoch, tonumber(redis.call('GET', KEYS[2]) or '0')} end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        if old then redis.call('SREM', ARGV[4] .. old, ARGV[1]) else old = '' end
        redis.call('SADD', KEYS[4], ARGV[1])
        local v = redis.call('INCR', KEYS[2])
        redis.call('PUBLISH', ARGV[5], cjson.encode({epoch, v, ARGV[1], old, ARGV[2]}))
        return {epoch, v, old}
        """;

    /// <summary>KEYS: team-of-user, version, epoch. ARGV: epoch candidate. Returns <c>{epoch, version, HGETALL team-of-user}</c>, atomically.</summary>
    public const string Load = """
        local epoch = redis.call('GET', KEYS[3])
        if not epoch then epoch = ARGV[1]; redis.call('SET', KEYS[3], epoch) end
        return {epoch, tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('HGETALL', KEYS[1])}
        """;

    /// <summary>
    /// KEYS: team-of-user, version, epoch. ARGV: epoch candidate, members prefix, channel, then user, team pairs.
    /// Writes each pair only where the user has no team (a newer switch wins); publishes one reload marker
    /// when it wrote any; returns how many it wrote.
    /// </summary>
    public const string Restore = """
        local epoch = redis.call('GET', KEYS[3])
        if not epoch then epoch = ARGV[1]; redis.call('SET', KEYS[3], epoch) end
        local n = 0
        for i = 4, #ARGV, 2 do
          if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then
            redis.call('SADD', ARGV[2] .. ARGV[i + 1], ARGV[i])
            n = n + 1
          end
        end
        if n > 0 then
          local v = redis.call('INCR', KEYS[2])
          redis.call('PUBLISH', ARGV[3], cjson.encode({epoch, v}))
        end
        return n
        """;

    public static RedisKey MembersKey(string team) => MembersPrefix + team;
}
