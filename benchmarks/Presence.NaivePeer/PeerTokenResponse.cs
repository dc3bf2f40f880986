namespace Presence.NaivePeer;

/// <summary>The answer of <c>POST /api/dev/token</c>, as the demo gives it.</summary>
/// <param name="AccessToken">The JWT to connect with.</param>
public sealed record PeerTokenResponse(string AccessToken);
