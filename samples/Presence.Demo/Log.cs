namespace Presence.Demo;

/// <summary>The demo's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 9001, EventName = "TeamsRestoreFailed", Level = LogLevel.Warning,
        Message = "Writing this node's team memberships back to Redis after a reconnect failed; they return when their users reconnect.")]
    public static partial void TeamsRestoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9002, EventName = "TeamsRestored", Level = LogLevel.Information,
        Message = "Redis reconnected; wrote back {Count} team memberships it had lost.")]
    public static partial void TeamsRestored(ILogger logger, int count);
}
