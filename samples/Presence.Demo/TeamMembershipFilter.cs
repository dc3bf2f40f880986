using Microsoft.AspNetCore.SignalR;

namespace Presence.Demo;

/// <summary>
/// Puts each authenticated connection in its team's group (from the token's <c>team</c> claim)
/// before presence registers it, so it hears its team's changes from its first moment. A connection
/// whose token names another team than the one its user is online in is refused (<see cref="TeamSwitch"/>).
/// </summary>
internal sealed class TeamMembershipFilter(ITeamDirectory teams, IPresenceTracker tracker) : IHubFilter
{
    // Marks a connection whose team this filter joined, so its close releases it in the directory.
    private static readonly object JoinedKey = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var userId = context.Context.UserIdentifier;
        var team = context.Context.User?.FindFirst(DevTokens.TeamClaim)?.Value;
        if (userId is not null && team is not null && PresenceId.IsValid(userId) && PresenceId.IsValid(team))
        {
            if (await TeamSwitch.RefusalAsync(teams, tracker, userId, team, CancellationToken.None) is { } refusal)
            {
                throw new HubException(refusal);
            }

            await teams.JoinAsync(userId, team);
            context.Context.Items[JoinedKey] = userId;
            try
            {
                await context.Hub.Groups.AddToGroupAsync(context.Context.ConnectionId, TeamGroups.For(team));
                await next(context);
            }
            catch
            {
                // SignalR calls no OnDisconnectedAsync after a failed connect.
                context.Context.Items.Remove(JoinedKey);
                teams.Release(userId);
                throw;
            }

            return;
        }

        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (context.Context.Items.Remove(JoinedKey, out var joined) && joined is string userId)
        {
            teams.Release(userId);
        }

        await next(context, exception);
    }
}
