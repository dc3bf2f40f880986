using System.Security.Claims;

namespace Presence.Demo;

/// <summary>The demo's presence read endpoints, beyond what the hub pushes.</summary>
public static class DemoPresenceEndpoints
{
    /// <summary>The roster endpoint's path.</summary>
    public const string TeamPresencePath = "/api/team/presence";

    /// <summary>
    /// Maps <c>GET /api/team/presence</c> (bearer token required): the caller's teammates known to the
    /// directory, online or not, with status and last seen — what the page needs to show
    /// "last seen 3 min ago" for teammates who left before it was opened.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <returns>The app.</returns>
    public static IEndpointRouteBuilder MapDemoPresenceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(TeamPresencePath, GetTeamPresenceAsync).RequireAuthorization();
        return endpoints;
    }

    private static async Task<IResult> GetTeamPresenceAsync(
        ClaimsPrincipal user, ITeamDirectory teams, IPresenceTracker tracker, CancellationToken cancellationToken)
    {
        var team = user.FindFirst(DevTokens.TeamClaim)?.Value;
        if (team is null || !PresenceId.IsValid(team))
        {
            return Results.Problem("The token carries no valid team.", statusCode: StatusCodes.Status400BadRequest);
        }

        var members = await teams.GetMembersAsync(team, cancellationToken);
        var presence = members.Count == 0 ? [] : await tracker.GetPresenceAsync(members, cancellationToken);
        var roster = presence
            .OrderBy(static p => p.UserId, StringComparer.Ordinal)
            .Select(static p => new TeamMemberPresence(
                p.UserId, p.IsOnline, p.IsOnline ? p.Status ?? PresenceStatus.Available : null, p.LastSeen))
            .ToList();
        return Results.Ok(new TeamPresence(team, roster));
    }
}
