namespace Presence.Demo;

/// <summary>The body of <c>POST /api/dev/token</c>.</summary>
/// <param name="UserId">The user to sign in as.</param>
/// <param name="Team">The user's team; <c>"lobby"</c> when omitted.</param>
public sealed record DevTokenRequest(string? UserId, string? Team);
