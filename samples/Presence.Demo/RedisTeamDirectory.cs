using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Presence.Demo;

/// <summary>
/// The team directory every node sees: in the Redis the presence store and the backplane share.
/// One hash maps user → team and one set per team holds its members; all keys carry one hash tag,
/// so a team switch is a single transaction even on a Redis Cluster.
/// </summary>
internal sealed class RedisTeamDirectory : ITeamDirectory, IDisposable
{
    private const string Prefix = "{presence-demo}:";
    private static readonly RedisKey TeamOfUserKey = Prefix + "team-of-user";

    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<RedisTeamDirectory> _logger;

    // What this node wrote, to write it back when Redis comes back empty (restart without persistence):
    // otherwise nobody would hear about users who are still connected.
    private readonly ConcurrentDictionary<string, string> _joinedHere = new(StringComparer.Ordinal);

    public RedisTeamDirectory(IConnectionMultiplexer redis, ILogger<RedisTeamDirectory> logger)
    {
        _redis = redis;
        _logger = logger;
        _redis.ConnectionRestored += OnConnectionRestored;
    }

    public async ValueTask JoinAsync(string userId, string team, CancellationToken cancellationToken = default)
    {
        _joinedHere[userId] = team;
        var database = _redis.GetDatabase();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var previous = (string?)await database.HashGetAsync(TeamOfUserKey, userId);

            // The condition makes a concurrent switch of the same user on another node retry instead of leaving the user in two sets.
            var transaction = database.CreateTransaction();
            transaction.AddCondition(previous is null
                ? Condition.HashNotExists(TeamOfUserKey, userId)
                : Condition.HashEqual(TeamOfUserKey, userId, previous));
            _ = transaction.HashSetAsync(TeamOfUserKey, userId, team);
            if (previous is not null && previous != team)
            {
                _ = transaction.SetRemoveAsync(MembersKey(previous), userId);
            }

            _ = transaction.SetAddAsync(MembersKey(team), userId);
            if (await transaction.ExecuteAsync())
            {
                return;
            }
        }
    }

    public async ValueTask<string?> GetTeamAsync(string userId, CancellationToken cancellationToken = default) =>
        await _redis.GetDatabase().HashGetAsync(TeamOfUserKey, userId);

    public async ValueTask<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default) =>
        [.. (await _redis.GetDatabase().SetMembersAsync(MembersKey(team))).Select(static member => (string)member!)];

    public void Dispose() => _redis.ConnectionRestored -= OnConnectionRestored;

    private static RedisKey MembersKey(string team) => Prefix + "team:" + team;

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _ = RestoreAsync();

    private async Task RestoreAsync()
    {
        try
        {
            var database = _redis.GetDatabase();
            var restored = 0;
            foreach (var (userId, team) in _joinedHere)
            {
                // Only where the membership is missing: a newer switch made on another node wins.
                var transaction = database.CreateTransaction();
                transaction.AddCondition(Condition.HashNotExists(TeamOfUserKey, userId));
                _ = transaction.HashSetAsync(TeamOfUserKey, userId, team);
                _ = transaction.SetAddAsync(MembersKey(team), userId);
                if (await transaction.ExecuteAsync())
                {
                    restored++;
                }
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
