namespace Presence.Demo;

/// <summary>
/// A user changes team only while offline: a connection stays in the group of the team it joined
/// with, and the old team must still hear the user go offline, so a sign-in with another team while
/// any connection of the user is online (or in its offline grace period) is refused.
/// </summary>
internal static class TeamSwitch
{
    /// <summary>Why <paramref name="userId"/> may not be on <paramref name="team"/> now, or <see langword="null"/> when they may.</summary>
    public static async ValueTask<string?> RefusalAsync(
        ITeamDirectory teams, IPresenceTracker tracker, string userId, string team, CancellationToken cancellationToken)
    {
        var current = await teams.GetTeamAsync(userId, cancellationToken);
        if (current is null || string.Equals(current, team, StringComparison.Ordinal) || !await tracker.IsOnlineAsync(userId, cancellationToken))
        {
            return null;
        }

        return $"{userId} is online in team '{current}'. Close {userId}'s other pages (and wait for the offline grace period) before signing in with team '{team}'.";
    }
}
