namespace Presence.ScaleOut.Tests.Infrastructure;

internal sealed record OnlinePayload(string UserId, string Timestamp, long Version);
