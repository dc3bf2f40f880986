using Microsoft.AspNetCore.SignalR;

namespace Presence.SignalR;

/// <summary>
/// The ready-made presence hub. Map it with <c>app.MapPresenceHub("/hubs/presence")</c> after
/// <c>services.AddSignalR().AddPresence()</c>. Anonymous connections are refused unless
/// <see cref="PresenceSignalROptions.IgnoreAnonymousConnections"/> is set.
/// </summary>
/// <remarks>
/// Connect, disconnect and <c>presence:bulk-online</c> are handled by the presence hub filter, so a
/// derived hub may override <see cref="Hub.OnConnectedAsync"/> freely. Your own hub does not need
/// this class at all: see <see cref="PresenceHubCallerContextExtensions"/>.
/// </remarks>
public class PresenceHub : Hub
{
    /// <summary>The heartbeat (<c>presence:ping</c>): extends this connection's lease.</summary>
    /// <returns><c>{ "success": true }</c>.</returns>
    [HubMethodName(PresenceHubMethods.Ping)]
    public ValueTask<PresenceResult> Ping() => Context.PingPresenceAsync();

    /// <summary>Sets the caller's status (<c>presence:set-status</c>); interested users receive <c>presence:status</c>.</summary>
    /// <param name="request"><c>{ "status": "away" }</c>.</param>
    /// <returns><c>{ "success": true }</c>.</returns>
    [HubMethodName(PresenceHubMethods.SetStatus)]
    public ValueTask<PresenceResult> SetStatus(PresenceSetStatusRequest request) => Context.SetPresenceStatusAsync(request);

    /// <summary>Watches users beyond the interest resolver's audience (<c>presence:subscribe</c>), for the life of this connection.</summary>
    /// <param name="request"><c>{ "userIds": ["alice", ...] }</c>.</param>
    /// <returns>The authorized users who are online now.</returns>
    [HubMethodName(PresenceHubMethods.Subscribe)]
    public ValueTask<PresenceSubscribeResult> Subscribe(PresenceSubscriptionRequest request) => Context.SubscribePresenceAsync(request);

    /// <summary>Stops watching users (<c>presence:unsubscribe</c>).</summary>
    /// <param name="request"><c>{ "userIds": ["alice", ...] }</c>.</param>
    /// <returns><c>{ "success": true }</c>.</returns>
    [HubMethodName(PresenceHubMethods.Unsubscribe)]
    public ValueTask<PresenceResult> Unsubscribe(PresenceSubscriptionRequest request) => Context.UnsubscribePresenceAsync(request);
}
