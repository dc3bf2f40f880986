using Microsoft.AspNetCore.SignalR;

namespace Presence.SignalR.Tests.Hubs;

/// <summary>A host's own hub: no presence base class, each presence method in one line.</summary>
public sealed class ChatHub : Hub
{
    [HubMethodName(PresenceHubMethods.Ping)]
    public ValueTask<PresenceResult> Ping() => Context.PingPresenceAsync();

    [HubMethodName(PresenceHubMethods.SetStatus)]
    public ValueTask<PresenceResult> SetStatus(PresenceSetStatusRequest request) => Context.SetPresenceStatusAsync(request);

    [HubMethodName(PresenceHubMethods.Subscribe)]
    public ValueTask<PresenceSubscribeResult> Subscribe(PresenceSubscriptionRequest request) => Context.SubscribePresenceAsync(request);

    [HubMethodName(PresenceHubMethods.Unsubscribe)]
    public ValueTask<PresenceResult> Unsubscribe(PresenceSubscriptionRequest request) => Context.UnsubscribePresenceAsync(request);

    public string Echo(string text) => text;
}
