namespace Presence.Demo;

/// <summary>The answer of <c>POST /api/dev/token</c>: the SignalR <c>accessTokenFactory</c> value.</summary>
/// <param name="AccessToken">A JWT for the hub.</param>
public sealed record DevTokenResponse(string AccessToken);
