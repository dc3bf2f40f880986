using Microsoft.AspNetCore.SignalR;

namespace Presence.SignalR.Tests.Hubs;

/// <summary>A hub that exposes the ping but that presence was never attached to (a host mistake).</summary>
public sealed class PlainHub : Hub
{
    [HubMethodName(PresenceHubMethods.Ping)]
    public ValueTask<PresenceResult> Ping() => Context.PingPresenceAsync();
}
