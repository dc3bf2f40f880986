namespace Presence.Demo;

/// <summary>The answer of <c>GET /api/team/presence</c>: every known member of the caller's team.</summary>
/// <param name="Team">The caller's team (from the token).</param>
/// <param name="Members">Each member's presence, sorted by user id.</param>
public sealed record TeamPresence(string Team, IReadOnlyList<TeamMemberPresence> Members);
