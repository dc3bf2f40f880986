using Microsoft.AspNetCore.SignalR;

namespace Presence.Demo;

/// <summary>
/// Puts each authenticated connection in its team's group (from the token's <c>team</c> claim)
/// before presence registers it, so it hears its team's changes from its first moment.
/// </summary>
internal sealed class TeamMembershipFilter(ITeamDirectory teams) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var userId = context.Context.UserIdentifier;
        var team = context.Context.User?.FindFirst(DevTokens.TeamClaim)?.Value;
        if (userId is not null && team is not null && PresenceId.IsValid(userId) && PresenceId.IsValid(team))
        {
            await teams.JoinAsync(userId, team);
            await context.Hub.Groups.AddToGroupAsync(context.Context.ConnectionId, TeamGroups.For(team));
        }

        await next(context);
    }
}
