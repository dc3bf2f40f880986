using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Presence.SignalR.Internal;

/// <summary>
/// Connect and disconnect for every hub presence is attached to: refuses anonymous or invalid users,
/// registers the connection, sends <c>presence:bulk-online</c>, and always removes what it registered.
/// Group memberships (the tracked group, watch groups) need no cleanup: SignalR drops a closed
/// connection from all its groups, after a failed connect too.
/// </summary>
internal sealed class PresenceHubFilter(
    IPresenceTracker tracker,
    PresenceHubCommands commands,
    PresenceConnections connections,
    IInterestResolver interestResolver,
    IOptions<PresenceSignalROptions> options,
    IOptions<PresenceOptions> presenceOptions,
    ILogger<PresenceHubFilter> logger) : IHubFilter
{
    /// <summary>The close reason of a connection refused during a store outage (the client's close error shows it).</summary>
    public const string StoreUnavailableMessage =
        "Presence could not register the connection: the presence store is unavailable. Try again later; the server logged the outage.";

    private readonly bool _ignoreAnonymous = options.Value.IgnoreAnonymousConnections;
    private readonly long _heartbeatIntervalMs = (long)presenceOptions.Value.HeartbeatInterval.TotalMilliseconds;

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var caller = context.Context;
        var userId = caller.UserIdentifier;
        if (userId is null)
        {
            if (!_ignoreAnonymous)
            {
                var httpContext = caller.GetHttpContext();
                var (kind, message, source) = UnidentifiedUser.Explain(httpContext, caller.User);
                var path = httpContext?.Request.Path.Value ?? string.Empty;
                switch (kind)
                {
                    case UnidentifiedUser.Kind.NoToken:
                        Log.AnonymousConnectionRefused(logger, caller.ConnectionId);
                        break;
                    case UnidentifiedUser.Kind.TokenNotAuthenticated:
                        Log.TokenNotAuthenticated(logger, path, source!);
                        break;
                    default:
                        Log.UserWithoutIdentifier(logger, path);
                        break;
                }

                throw new HubException(message);
            }

            caller.Items[PresenceConnection.ItemKey] = commands.Anonymous(caller.ConnectionId);
            await next(context).ConfigureAwait(false);
            return;
        }

        var problem = PresenceId.Validate(userId);
        if (problem is not null)
        {
            Log.InvalidUserIdRefused(logger, caller.ConnectionId, problem);
            throw new HubException($"Presence refused the connection: the user identifier is invalid. {problem}");
        }

        // The host's own connect code (later filters, the hub's OnConnectedAsync) runs first: when it
        // throws, nothing was registered, and groups it joined already hear the events sent below.
        await next(context).ConfigureAwait(false);

        try
        {
            // Joined before registering, so "everyone" events from here on reach it and bulk-online covers the rest.
            await context.Hub.Groups.AddToGroupAsync(caller.ConnectionId, PresenceGroups.Tracked, CancellationToken.None).ConfigureAwait(false);

            // Not the connection's token: once started, registration and the fan-out must complete.
            await tracker.ConnectAsync(userId, caller.ConnectionId, CancellationToken.None).ConfigureAwait(false);
            // Hub.Groups is the hub context's group manager, so keeping it beyond this hub instance is safe.
            var connection = commands.Track(userId, caller.ConnectionId, context.Hub.Groups, context.Hub.GetType());
            caller.Items[PresenceConnection.ItemKey] = connection;

            // Listed before the read: a resync from here on sends this connection a newer snapshot too.
            connections.Add(connection);

            // One store read gives the online list, the statuses and the versions together.
            var visible = await PresenceSnapshot.ReadAsync(tracker, interestResolver, userId, CancellationToken.None).ConfigureAwait(false);
            var message = PresenceMaps.BulkOnline(visible, _heartbeatIntervalMs);
            await context.Hub.Clients.Caller.SendAsync(PresenceHubMethods.BulkOnline, message, CancellationToken.None).ConfigureAwait(false);
            Log.ConnectionTracked(logger, caller.ConnectionId, userId, message.Users.Count);
        }
        catch (PresenceStoreUnavailableException)
        {
            // An outage: the tracker warned once (1009); the client gets a reason it can show, and retries later.
            Log.StoreUnavailable(logger, "register", caller.ConnectionId);
            await UntrackAsync(caller, userId).ConfigureAwait(false);
            throw new HubException(StoreUnavailableMessage);
        }
        catch (Exception exception)
        {
            // SignalR never calls OnDisconnectedAsync after a failed connect: this is the only chance to clean up.
            Log.ConnectFailed(logger, caller.ConnectionId, exception);
            await UntrackAsync(caller, userId).ConfigureAwait(false);
            throw;
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        var caller = context.Context;
        if (caller.Items.TryGetValue(PresenceConnection.ItemKey, out var item) && item is PresenceConnection { UserId: { } userId })
        {
            await UntrackAsync(caller, userId).ConfigureAwait(false);
        }

        await next(context, exception).ConfigureAwait(false);
    }

    /// <summary>Forgets the connection on this node (its item, the resync registry) and takes it out of the store.</summary>
    private async Task UntrackAsync(HubCallerContext caller, string userId)
    {
        caller.Items.Remove(PresenceConnection.ItemKey);
        connections.Remove(caller.ConnectionId);
        await DisconnectQuietlyAsync(userId, caller.ConnectionId).ConfigureAwait(false);
    }

    private async Task DisconnectQuietlyAsync(string userId, string connectionId)
    {
        try
        {
            await tracker.DisconnectAsync(userId, connectionId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (PresenceStoreUnavailableException)
        {
            Log.StoreUnavailable(logger, "remove", connectionId);
        }
#pragma warning disable CA1031 // The connection is gone either way; a lease left behind expires on its own.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.DisconnectFailed(logger, connectionId, exception);
        }
    }
}
