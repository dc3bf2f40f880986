using Microsoft.AspNetCore.SignalR;

namespace Presence.SignalR.Internal;

/// <summary>Registered once per hub presence is attached to, so attaching twice is harmless and mapping can check it.</summary>
/// <typeparam name="THub">The hub.</typeparam>
internal sealed class PresenceHubMarker<THub>
    where THub : Hub;
