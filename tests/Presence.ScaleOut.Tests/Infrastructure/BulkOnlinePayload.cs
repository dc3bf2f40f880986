namespace Presence.ScaleOut.Tests.Infrastructure;

internal sealed record BulkOnlinePayload(string[] Users, Dictionary<string, long> Versions, long HeartbeatIntervalMs);
