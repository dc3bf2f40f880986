namespace Presence.Chaos.Scenario;

internal sealed record OnlinePayload(string UserId, string Timestamp, long Version);

internal sealed record OfflinePayload(string UserId, string Timestamp, string? Reason, long Version);

internal sealed record StatusPayload(string UserId, string Status, string Timestamp, long Version);

internal sealed record BulkOnlinePayload(string[] Users, Dictionary<string, string>? Statuses, Dictionary<string, long> Versions, long HeartbeatIntervalMs);

internal sealed record PresenceReply(bool Success);

internal sealed record SetStatusRequest(string Status);
