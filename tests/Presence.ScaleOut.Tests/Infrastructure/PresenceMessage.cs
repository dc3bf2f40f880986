namespace Presence.ScaleOut.Tests.Infrastructure;

/// <summary>One presence message a test client received: "online", "offline" or "bulk".</summary>
internal sealed record PresenceMessage(string Kind, string UserId, string? Reason, int Sequence);
