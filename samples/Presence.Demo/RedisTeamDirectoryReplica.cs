namespace Presence.Demo;

/// <summary>One node's copy of the Redis team directory at a version; the caller holds the lock.</summary>
internal sealed class RedisTeamDirectoryReplica
{
    private readonly Dictionary<string, string> _teamOfUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _membersOfTeam = new(StringComparer.Ordinal);

    /// <summary>The epoch of the directory this copy is of; <see langword="null"/> before the first load.</summary>
    public string? Epoch { get; private set; }

    /// <summary>The last change applied.</summary>
    public long Version { get; private set; }

    /// <summary>The highest version a join on this node saw: lookups wait until <see cref="Version"/> reaches it.</summary>
    public long HighWater { get; set; }

    public string? TeamOf(string userId) => _teamOfUser.GetValueOrDefault(userId);

    public string[] MembersOf(string team) => _membersOfTeam.TryGetValue(team, out var members) ? [.. members] : [];

    /// <summary>Replaces the copy with a full load; <see langword="true"/> when the epoch changed.</summary>
    public bool Reset(string epoch, long version, Dictionary<string, string> teamOfUser)
    {
        var newEpoch = epoch != Epoch;
        _teamOfUser.Clear();
        _membersOfTeam.Clear();
        foreach (var (userId, team) in teamOfUser)
        {
            Add(userId, team);
        }

        Epoch = epoch;
        Version = version;
        HighWater = newEpoch ? version : Math.Max(HighWater, version);
        return newEpoch;
    }

    /// <summary>Applies the change that follows <see cref="Version"/>.</summary>
    public void Apply(RedisTeamDirectoryChange change)
    {
        if (change.Previous is { } previous && _membersOfTeam.TryGetValue(previous, out var members))
        {
            members.Remove(change.UserId!);
        }

        Add(change.UserId!, change.Team!);
        Version = change.Version;
    }

    private void Add(string userId, string team)
    {
        if (_teamOfUser.TryGetValue(userId, out var old) && old != team && _membersOfTeam.TryGetValue(old, out var oldMembers))
        {
            oldMembers.Remove(userId);
        }

        _teamOfUser[userId] = team;
        if (!_membersOfTeam.TryGetValue(team, out var members))
        {
            _membersOfTeam[team] = members = new HashSet<string>(StringComparer.Ordinal);
        }

        members.Add(userId);
    }
}
