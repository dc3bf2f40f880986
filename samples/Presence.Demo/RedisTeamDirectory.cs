using StackExchange.Redis;

namespace Presence.Demo;

/// <summary>
/// The team directory every node sees: in the Redis the presence store and the backplane share.
/// One hash maps user → team and one set per team holds its members; all keys carry one hash tag,
/// so a team switch is one atomic script even on a Redis Cluster.
/// </summary>
internal sealed class RedisTeamDirectory : ITeamDirectory, IDisposable
{
    private const string Prefix = "{presence-demo}:";
    private static readonly RedisKey TeamOfUserKey = Prefix + "team-of-user";

    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<RedisTeamDirectory> _logger;

    // The users this node holds connections of, with their team and how many connections, to write them
    // back when Redis comes back empty (otherwise nobody would hear about users who are still connected).
    // A user whose last connection here closed is forgotten: after a switch made on another node, this
    // node's old answer must not win the write-back.
    private readonly Dictionary<string, (string Team, int Connections)> _heldHere = new(StringComparer.Ordinal);
    private readonly Lock _held = new();

    public RedisTeamDirectory(IConnectionMultiplexer redis, ILogger<RedisTeamDirectory> logger)
    {
        _redis = redis;
        _logger = logger;
        _redis.ConnectionRestored += OnConnectionRestored;
    }

    public async ValueTask JoinAsync(string userId, string team, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _redis.GetDatabase().ScriptEvaluateAsync(JoinScript, [TeamOfUserKey, MembersKey(team)], [userId, team, Prefix + "team:"]);

        // Counted once joined: a join that failed refuses the connection, which then releases nothing.
        lock (_held)
        {
            // A switch is refused while the user is connected, so a held user's team does not change here.
            _heldHere[userId] = (team, _heldHere.TryGetValue(userId, out var held) ? held.Connections + 1 : 1);
        }
    }

    /// <inheritdoc/>
    public void Release(string userId)
    {
        lock (_held)
        {
            if (_heldHere.TryGetValue(userId, out var held))
            {
                if (held.Connections <= 1)
                {
                    _heldHere.Remove(userId);
                }
                else
                {
                    _heldHere[userId] = held with { Connections = held.Connections - 1 };
                }
            }
        }
    }

    public async ValueTask<string?> GetTeamAsync(string userId, CancellationToken cancellationToken = default) =>
        await _redis.GetDatabase().HashGetAsync(TeamOfUserKey, userId);

    public async ValueTask<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default) =>
        [.. (await _redis.GetDatabase().SetMembersAsync(MembersKey(team))).Select(static member => (string)member!)];

    public void Dispose() => _redis.ConnectionRestored -= OnConnectionRestored;

    // One script per change, not a WATCH/MULTI transaction: StackExchange.Redis holds the shared connection's
    // writer while it waits for a transaction's conditions, so on the connection the presence store and the
    // backplane share, every conditional transaction stalls them for a round trip, and one racing a reconnect
    // stalls them for the whole sync timeout. A script is one command and atomic, also on a cluster (one hash tag).
    private const string JoinScript = """
        local previous = redis.call('HGET', KEYS[1], ARGV[1])
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        if previous and previous ~= ARGV[2] then
          redis.call('SREM', ARGV[3] .. previous, ARGV[1])
        end
        redis.call('SADD', KEYS[2], ARGV[1])
        return 1
        """;

    // Only where the membership is missing: a newer switch made on another node wins.
    private const string RestoreScript = """
        if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
          return 0
        end
        redis.call('SADD', KEYS[2], ARGV[1])
        return 1
        """;

    private static RedisKey MembersKey(string team) => Prefix + "team:" + team;

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _ = RestoreAsync();

    private async Task RestoreAsync()
    {
        try
        {
            var database = _redis.GetDatabase();
            (string UserId, string Team)[] held;
            lock (_held)
            {
                held = [.. _heldHere.Select(static entry => (entry.Key, entry.Value.Team))];
            }

            var restored = 0;
            foreach (var (userId, team) in held)
            {
                restored += (int)await database.ScriptEvaluateAsync(RestoreScript, [TeamOfUserKey, MembersKey(team)], [userId, team]);
            }

            if (restored > 0)
            {
                Log.TeamsRestored(_logger, restored);
            }
        }
        catch (Exception exception)
        {
            Log.TeamsRestoreFailed(_logger, exception);
        }
    }
}
