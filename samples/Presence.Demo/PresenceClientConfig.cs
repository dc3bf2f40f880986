namespace Presence.Demo;

/// <summary>The answer of <c>GET /api/presence/config</c>: what the page needs to behave like the server expects.</summary>
/// <param name="HeartbeatIntervalMs">How often to send <c>presence:ping</c>, in milliseconds.</param>
public sealed record PresenceClientConfig(long HeartbeatIntervalMs);
