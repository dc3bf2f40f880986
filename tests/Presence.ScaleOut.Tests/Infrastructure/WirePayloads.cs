namespace Presence.ScaleOut.Tests.Infrastructure;

internal sealed record OnlinePayload(string UserId, string Timestamp);

internal sealed record OfflinePayload(string UserId, string Timestamp, string? Reason);

internal sealed record BulkOnlinePayload(string[] Users);

internal sealed record PingReply(bool Success);
