using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Presence.SignalR;

/// <summary>
/// The ready-made presence hub. Map it with <c>app.MapPresenceHub("/hubs/presence")</c> after
/// <c>services.AddSignalR().AddPresence()</c>. Anonymous connections are refused unless
/// <see cref="PresenceSignalROptions.IgnoreAnonymousConnections"/> is set.
/// </summary>
/// <remarks>
/// Connect, disconnect and <c>presence:bulk-online</c> are handled by the presence hub filter, so a
/// derived hub may override <see cref="Hub.OnConnectedAsync"/> freely. Your own hub does not need
/// this class at all: see <see cref="PresenceHubCallerContextExtensions.PingPresenceAsync"/>.
/// </remarks>
public class PresenceHub : Hub
{
    /// <summary>The heartbeat (<c>presence:ping</c>): extends this connection's lease.</summary>
    /// <returns><c>{ "success": true }</c>.</returns>
    [HubMethodName(PresenceHubMethods.Ping)]
    public ValueTask<PresencePingResult> Ping() => Context.PingPresenceAsync();
}
