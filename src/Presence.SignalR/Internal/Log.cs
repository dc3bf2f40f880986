using Microsoft.Extensions.Logging;

namespace Presence.SignalR.Internal;

/// <summary>Presence.SignalR's log messages. Event ids are stable; user ids only at Debug.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, EventName = "AnonymousConnectionRefused", Level = LogLevel.Debug,
        Message = "Presence refused anonymous connection {ConnectionId}.")]
    public static partial void AnonymousConnectionRefused(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 3002, EventName = "InvalidUserIdRefused", Level = LogLevel.Warning,
        Message = "Presence refused connection {ConnectionId}: its user identifier is invalid ({Problem}). Check the app's IUserIdProvider.")]
    public static partial void InvalidUserIdRefused(ILogger logger, string connectionId, string problem);

    [LoggerMessage(EventId = 3003, EventName = "ConnectFailed", Level = LogLevel.Error,
        Message = "Presence could not register connection {ConnectionId}; the connection is closed.")]
    public static partial void ConnectFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 3004, EventName = "DisconnectFailed", Level = LogLevel.Warning,
        Message = "Presence could not remove connection {ConnectionId}; its lease will expire on its own.")]
    public static partial void DisconnectFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 3005, EventName = "ConnectionTracked", Level = LogLevel.Debug,
        Message = "Presence tracks connection {ConnectionId} of user {UserId}; {VisibleCount} visible users are online.")]
    public static partial void ConnectionTracked(ILogger logger, string connectionId, string userId, int visibleCount);

    [LoggerMessage(EventId = 3006, EventName = "RateLimitExceeded", Level = LogLevel.Debug,
        Message = "Presence refused {Method} from connection {ConnectionId}: rate limit exceeded.")]
    public static partial void RateLimitExceeded(ILogger logger, string connectionId, string method);

    [LoggerMessage(EventId = 3007, EventName = "Subscribed", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} of user {UserId} subscribed to {AuthorizedCount} of the {RequestedCount} users it asked for.")]
    public static partial void Subscribed(ILogger logger, string connectionId, string userId, int authorizedCount, int requestedCount);

    [LoggerMessage(EventId = 3008, EventName = "AnonymousRequestRefused", Level = LogLevel.Debug,
        Message = "Presence refused a request to {Path} with 401: it has no user identifier.")]
    public static partial void AnonymousRequestRefused(ILogger logger, string path);

    [LoggerMessage(EventId = 3009, EventName = "StoreUnavailable", Level = LogLevel.Debug,
        Message = "Presence could not {Operation} connection {ConnectionId}: the presence store is unavailable.")]
    public static partial void StoreUnavailable(ILogger logger, string operation, string connectionId);

    [LoggerMessage(EventId = 3010, EventName = "TokenNotAuthenticated", Level = LogLevel.Information,
        Message = "Presence refused a request to {Path} with 401: an access token arrived (in the {TokenSource}) but the user is not authenticated. Likely causes: no authentication handler reads it (AddAuthentication().AddJwtBearer(...), app.UseAuthentication()), or the JWT bearer handler does not read the access_token query parameter (JwtBearerEvents.OnMessageReceived); an expired or invalid token is refused the same way.")]
    public static partial void TokenNotAuthenticated(ILogger logger, string path, string tokenSource);

    [LoggerMessage(EventId = 3011, EventName = "UserWithoutIdentifier", Level = LogLevel.Warning,
        Message = "Presence refused a request to {Path} with 401: the user is authenticated but the IUserIdProvider found no user identifier (the default reads the ClaimTypes.NameIdentifier claim).")]
    public static partial void UserWithoutIdentifier(ILogger logger, string path);

    [LoggerMessage(EventId = 3012, EventName = "AnonymousRefusedAfterConnect", Level = LogLevel.Warning,
        Message = "{Hub} at '{Route}' refuses anonymous clients only after they connect, so SignalR logs each refusal as an error; map it with .RequirePresenceUser() to refuse them with 401 at negotiate, or set PresenceSignalROptions.IgnoreAnonymousConnections to let them in untracked.")]
    public static partial void AnonymousRefusedAfterConnect(ILogger logger, string hub, string route);

    [LoggerMessage(EventId = 3013, EventName = "Resynced", Level = LogLevel.Information,
        Message = "Presence resync: the presence store recovered from a fault, so {Connections} connections of {Users} users on this node got their presence:bulk-online again.")]
    public static partial void Resynced(ILogger logger, int connections, int users);

    [LoggerMessage(EventId = 3014, EventName = "ResyncFailed", Level = LogLevel.Warning,
        Message = "Presence resync: the snapshot of user '{UserId}' could not be sent again; their connections keep their view until the next event or reconnect.")]
    public static partial void ResyncFailed(ILogger logger, string userId, Exception exception);
}
