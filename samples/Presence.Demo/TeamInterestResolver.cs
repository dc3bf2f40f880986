namespace Presence.Demo;

/// <summary>
/// Teammates see each other and nobody else. Changes go to the team's SignalR group: one send
/// however large the team.
/// </summary>
internal sealed class TeamInterestResolver(ITeamDirectory teams) : IInterestResolver
{
    public async ValueTask<PresenceAudience> GetAudienceAsync(string userId, CancellationToken cancellationToken = default)
    {
        var team = await teams.GetTeamAsync(userId, cancellationToken);
        return team is null ? PresenceAudience.Nobody : PresenceAudience.ForGroups([TeamGroups.For(team)]);
    }

    public async ValueTask<PresenceVisibility> GetVisibleUsersAsync(string viewerId, CancellationToken cancellationToken = default)
    {
        var team = await teams.GetTeamAsync(viewerId, cancellationToken);
        return team is null ? PresenceVisibility.Nobody : PresenceVisibility.ForUsers(await teams.GetMembersAsync(team, cancellationToken));
    }
}
