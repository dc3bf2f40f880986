using Microsoft.AspNetCore.SignalR;

namespace Presence.SignalR.Tests.Hubs;

/// <summary>A host hub whose own connect/disconnect code fails for chosen users.</summary>
public sealed class ThrowingHub : Hub
{
    public const string FailsOnConnect = "fails-on-connect";
    public const string FailsOnDisconnect = "fails-on-disconnect";

    [HubMethodName(PresenceHubMethods.Ping)]
    public ValueTask<PresenceResult> Ping() => Context.PingPresenceAsync();

    public override Task OnConnectedAsync() =>
        Context.UserIdentifier == FailsOnConnect ? throw new InvalidOperationException("host connect failed") : Task.CompletedTask;

    public override Task OnDisconnectedAsync(Exception? exception) =>
        Context.UserIdentifier == FailsOnDisconnect ? throw new InvalidOperationException("host disconnect failed") : Task.CompletedTask;
}
