namespace Presence.LoadTest;

/// <summary>The demo's answer to <c>POST /api/dev/token</c>.</summary>
internal sealed record TokenResponse(string AccessToken);
