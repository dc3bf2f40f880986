using Microsoft.AspNetCore.Http;
using Presence;
using Presence.SignalR;
using Presence.SignalR.Internal;

namespace Microsoft.AspNetCore.SignalR;

/// <summary>
/// Lets any hub that presence is attached to expose each client-to-server method of the contract in
/// one line, for example
/// <c>[HubMethodName(PresenceHubMethods.Ping)] public ValueTask&lt;PresenceResult&gt; Ping() =&gt; Context.PingPresenceAsync();</c>
/// </summary>
/// <remarks>
/// Each method takes the user from the connection, never from the payload. Bad input and floods
/// (see the rate limits of <see cref="PresenceSignalROptions"/>) fail the invocation with a
/// <see cref="HubException"/> whose message reaches the client; the connection stays open.
/// </remarks>
public static class PresenceHubCallerContextExtensions
{
    /// <summary>
    /// Handles <c>presence:ping</c> for the calling connection: extends its lease (re-registering it if
    /// it had expired).
    /// </summary>
    /// <param name="context">The hub's <c>Context</c>.</param>
    /// <returns><c>{ "success": true }</c> when the lease was refreshed, or <c>{ "success": false }</c> for an ignored anonymous connection.</returns>
    /// <exception cref="HubException">Presence is not attached to this hub, or the connection exceeded <see cref="PresenceSignalROptions.PingRateLimit"/>.</exception>
    public static ValueTask<PresenceResult> PingPresenceAsync(this HubCallerContext context)
    {
        var connection = GetConnection(context, PresenceHubMethods.Ping);
        return connection.Commands.PingAsync(connection);
    }

    /// <summary>
    /// Handles <c>presence:set-status</c>: sets the calling user's status, which interested users
    /// receive as <c>presence:status</c>. Expose it with
    /// <c>[HubMethodName(PresenceHubMethods.SetStatus)] public ValueTask&lt;PresenceResult&gt; SetStatus(PresenceSetStatusRequest request) =&gt; Context.SetPresenceStatusAsync(request);</c>
    /// </summary>
    /// <param name="context">The hub's <c>Context</c>.</param>
    /// <param name="request"><c>{ "status": "away" }</c>.</param>
    /// <returns>
    /// <c>{ "success": true }</c> when the user's status is now the one asked for; <c>{ "success": false }</c>
    /// for an ignored anonymous connection or a connection whose lease expired (ping, then retry).
    /// </returns>
    /// <exception cref="HubException">The status is missing or invalid, the connection exceeded <see cref="PresenceSignalROptions.StatusRateLimit"/>, or presence is not attached to this hub.</exception>
    public static ValueTask<PresenceResult> SetPresenceStatusAsync(this HubCallerContext context, PresenceSetStatusRequest? request)
    {
        var connection = GetConnection(context, PresenceHubMethods.SetStatus);
        return connection.Commands.SetStatusAsync(connection, request);
    }

    /// <summary>
    /// Handles <c>presence:subscribe</c>: the calling connection also hears the presence events of the
    /// users it names that the <see cref="ISubscriptionAuthorizer"/> lets it watch, until it unsubscribes
    /// or disconnects. Expose it with
    /// <c>[HubMethodName(PresenceHubMethods.Subscribe)] public ValueTask&lt;PresenceSubscribeResult&gt; Subscribe(PresenceSubscriptionRequest request) =&gt; Context.SubscribePresenceAsync(request);</c>
    /// </summary>
    /// <param name="context">The hub's <c>Context</c>.</param>
    /// <param name="request"><c>{ "userIds": ["alice", ...] }</c>.</param>
    /// <returns>The authorized users of the request who are online now, with their statuses; the others' last-seen times.</returns>
    /// <exception cref="HubException">
    /// The ids are missing or invalid, too many (<see cref="PresenceSignalROptions.MaxSubscriptionSize"/>), the
    /// connection exceeded <see cref="PresenceSignalROptions.SubscribeRateLimit"/>, the connection is anonymous,
    /// or presence is not attached to this hub. Nothing is subscribed.
    /// </exception>
    public static ValueTask<PresenceSubscribeResult> SubscribePresenceAsync(this HubCallerContext context, PresenceSubscriptionRequest? request)
    {
        var connection = GetConnection(context, PresenceHubMethods.Subscribe);
        return connection.Commands.SubscribeAsync(connection, request);
    }

    /// <summary>
    /// Handles <c>presence:unsubscribe</c>: the calling connection stops hearing the named users through
    /// its subscriptions (it still hears them when the interest resolver names it). Ids it never
    /// subscribed to are ignored. Expose it with
    /// <c>[HubMethodName(PresenceHubMethods.Unsubscribe)] public ValueTask&lt;PresenceResult&gt; Unsubscribe(PresenceSubscriptionRequest request) =&gt; Context.UnsubscribePresenceAsync(request);</c>
    /// </summary>
    /// <param name="context">The hub's <c>Context</c>.</param>
    /// <param name="request"><c>{ "userIds": ["alice", ...] }</c>.</param>
    /// <returns><c>{ "success": true }</c>.</returns>
    /// <exception cref="HubException">
    /// The ids are missing, invalid or too many, the connection exceeded <see cref="PresenceSignalROptions.SubscribeRateLimit"/>,
    /// the connection is anonymous, or presence is not attached to this hub.
    /// </exception>
    public static ValueTask<PresenceResult> UnsubscribePresenceAsync(this HubCallerContext context, PresenceSubscriptionRequest? request)
    {
        var connection = GetConnection(context, PresenceHubMethods.Unsubscribe);
        return connection.Commands.UnsubscribeAsync(connection, request);
    }

    private static PresenceConnection GetConnection(HubCallerContext context, string method)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(PresenceConnection.ItemKey, out var item) && item is PresenceConnection connection
            ? connection
            : throw NotAttached(context, method);
    }

    private static HubException NotAttached(HubCallerContext context, string method)
    {
        var hub = context.GetHttpContext()?.GetEndpoint()?.Metadata.GetMetadata<HubMetadata>()?.HubType.Name;
        return new HubException(hub is null
            ? $"'{method}' failed: presence is not attached to this hub. Register it with services.AddSignalR().AddPresence<THub>()."
            : $"'{method}' failed: presence is not attached to {hub}. Register it with services.AddSignalR().AddPresence<{hub}>().");
    }
}
