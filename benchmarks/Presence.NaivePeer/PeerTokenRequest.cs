namespace Presence.NaivePeer;

/// <summary>The body of <c>POST /api/dev/token</c>, as the demo takes it.</summary>
/// <param name="UserId">The user to sign in.</param>
/// <param name="Team">The user's team.</param>
public sealed record PeerTokenRequest(string? UserId, string? Team);
