namespace Presence.ScaleOut.Tests.Infrastructure;

/// <summary>One presence message a test client received: "online", "offline" or "bulk" (whose version is 0).</summary>
internal sealed record PresenceMessage(string Kind, string UserId, string? Reason, long Version, int Sequence);
