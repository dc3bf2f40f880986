namespace Presence.ScaleOut.Tests.Infrastructure;

internal sealed record PingReply(bool Success);
