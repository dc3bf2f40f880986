namespace Presence.Demo;

/// <summary>The answer of <c>GET /api/presence/users/{userId}</c> (Development only): the store's view of one user.</summary>
/// <param name="UserId">The user asked about.</param>
/// <param name="Online">Whether the store counts the user online.</param>
/// <param name="ConnectionCount">The user's live connections on every node.</param>
public sealed record UserPresenceResponse(string UserId, bool Online, int ConnectionCount);
