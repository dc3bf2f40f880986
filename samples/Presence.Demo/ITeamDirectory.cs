namespace Presence.Demo;

/// <summary>Who is on which team: in memory for one node (<see cref="InMemoryTeamDirectory"/>), in Redis for several (<see cref="RedisTeamDirectory"/>).</summary>
public interface ITeamDirectory
{
    /// <summary>Records that <paramref name="userId"/> is on <paramref name="team"/> (moving them off any other team).</summary>
    ValueTask JoinAsync(string userId, string team, CancellationToken cancellationToken = default);

    /// <summary>
    /// One of the user's connections on this node closed. The membership stays (the user is still on the
    /// team); a node only writes back, after Redis lost its data, the teams of users it still holds.
    /// </summary>
    void Release(string userId);

    /// <summary>The user's team, or <see langword="null"/> when the user never joined one.</summary>
    ValueTask<string?> GetTeamAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Every user on the team.</summary>
    ValueTask<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default);
}
