namespace Presence.ScaleOut.Tests.Infrastructure;

internal sealed record OfflinePayload(string UserId, string Timestamp, string? Reason, long Version);
