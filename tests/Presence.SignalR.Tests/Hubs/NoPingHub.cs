using Microsoft.AspNetCore.SignalR;

namespace Presence.SignalR.Tests.Hubs;

/// <summary>A host hub that forgot the heartbeat: it exposes set-status but no <c>presence:ping</c> (a host mistake).</summary>
public sealed class NoPingHub : Hub
{
    [HubMethodName(PresenceHubMethods.SetStatus)]
    public ValueTask<PresenceResult> SetStatus(PresenceSetStatusRequest request) => Context.SetPresenceStatusAsync(request);
}
