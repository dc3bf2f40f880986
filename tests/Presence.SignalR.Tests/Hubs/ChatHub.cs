using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Presence.SignalR.Tests.Hubs;

/// <summary>A host's own hub: no presence base class, the heartbeat in one line.</summary>
public sealed class ChatHub : Hub
{
    [HubMethodName(PresenceHubMethods.Ping)]
    public ValueTask<PresencePingResult> Ping() => Context.PingPresenceAsync();

    public string Echo(string text) => text;
}
