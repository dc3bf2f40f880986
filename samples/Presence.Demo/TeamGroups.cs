namespace Presence.Demo;

/// <summary>The SignalR group that holds a team's connections.</summary>
internal static class TeamGroups
{
    public static string For(string team) => "team:" + team;
}
