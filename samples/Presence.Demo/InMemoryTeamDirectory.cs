using System.Collections.Concurrent;

namespace Presence.Demo;

/// <summary>The single-node team directory.</summary>
internal sealed class InMemoryTeamDirectory : ITeamDirectory
{
    private readonly ConcurrentDictionary<string, string> _teamOfUser = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _membersOfTeam = new(StringComparer.Ordinal);
    private readonly Lock _moves = new();

    public ValueTask JoinAsync(string userId, string team, CancellationToken cancellationToken = default)
    {
        // One lock keeps "user -> team" and "team -> members" in step when a user switches teams.
        lock (_moves)
        {
            if (_teamOfUser.TryGetValue(userId, out var previous) && previous != team
                && _membersOfTeam.TryGetValue(previous, out var previousMembers))
            {
                previousMembers.TryRemove(userId, out _);
            }

            _teamOfUser[userId] = team;
            _membersOfTeam.GetOrAdd(team, static _ => new(StringComparer.Ordinal))[userId] = 0;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public void Release(string userId)
    {
        // One node's memory is the directory: nothing to write back, nothing to forget.
    }

    public ValueTask<string?> GetTeamAsync(string userId, CancellationToken cancellationToken = default) =>
        new(_teamOfUser.TryGetValue(userId, out var team) ? team : null);

    public ValueTask<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default) =>
        new(_membersOfTeam.TryGetValue(team, out var members) ? [.. members.Keys] : []);
}
