using Microsoft.Extensions.Logging;

namespace Presence.Internal;

/// <summary>Presence.Core's log messages. Event ids are stable (see docs/observability.md); user ids only at Debug.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, EventName = "EventHandlerFailed", Level = LogLevel.Error,
        Message = "Presence event handler {HandlerType} failed on a {EventType} event; the other handlers still run.")]
    public static partial void EventHandlerFailed(ILogger logger, string handlerType, string eventType, Exception exception);

    [LoggerMessage(EventId = 1002, EventName = "SweepFailed", Level = LogLevel.Error,
        Message = "Presence sweep failed; it will run again in {SweepInterval}.")]
    public static partial void SweepFailed(ILogger logger, TimeSpan sweepInterval, Exception exception);

    [LoggerMessage(EventId = 1003, EventName = "NoInterestResolver", Level = LogLevel.Warning,
        Message = "No IInterestResolver is registered, so presence events reach nobody and bulk-online lists are empty. Call AddInterestResolver<T>() or AddEveryoneSeesEveryone() on the presence builder.")]
    public static partial void NoInterestResolver(ILogger logger);

    [LoggerMessage(EventId = 1004, EventName = "UserCameOnline", Level = LogLevel.Debug,
        Message = "User {UserId} came online.")]
    public static partial void UserCameOnline(ILogger logger, string userId);

    [LoggerMessage(EventId = 1005, EventName = "UserWentOffline", Level = LogLevel.Debug,
        Message = "User {UserId} went offline ({Reason}).")]
    public static partial void UserWentOffline(ILogger logger, string userId, OfflineReason reason);

    [LoggerMessage(EventId = 1006, EventName = "StoreOperationFailed", Level = LogLevel.Error,
        Message = "Presence store operation {Operation} failed.")]
    public static partial void StoreOperationFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 1007, EventName = "SweepCompleted", Level = LogLevel.Debug,
        Message = "Presence sweep removed {Connections} expired connections; {Users} users went offline.")]
    public static partial void SweepCompleted(ILogger logger, int connections, int users);

    [LoggerMessage(EventId = 1008, EventName = "ShutdownDisconnectFailed", Level = LogLevel.Warning,
        Message = "Could not remove this node's connections during shutdown; other nodes will expire them after the connection TTL.")]
    public static partial void ShutdownDisconnectFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1009, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "The presence store is unavailable ({Operation} failed: {Reason}). Connections are refused, heartbeats and sweeps fail until it is back; this is logged once per outage.")]
    public static partial void StoreUnavailable(ILogger logger, string operation, string reason);

    [LoggerMessage(EventId = 1010, EventName = "StoreAvailable", Level = LogLevel.Information,
        Message = "The presence store is available again.")]
    public static partial void StoreAvailable(ILogger logger);
}
