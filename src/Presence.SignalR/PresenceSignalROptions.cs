namespace Presence.SignalR;

/// <summary>
/// How presence treats the connections of the hubs it is attached to. Bound from the configuration
/// section <see cref="SectionName"/> (for example <c>Presence__SignalR__IgnoreAnonymousConnections=true</c>),
/// then the delegate passed to <c>AddSignalR().AddPresence(...)</c>.
/// </summary>
public sealed class PresenceSignalROptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Presence:SignalR";

    /// <summary>
    /// What happens to a connection without a user identifier (<c>Context.UserIdentifier</c> is
    /// <see langword="null"/>). When <see langword="false"/>, presence refuses it: the connection is
    /// closed with an error before the hub's <c>OnConnectedAsync</c> runs. When <see langword="true"/>,
    /// it is let in but not tracked: it receives no presence messages and its pings return
    /// <c>{ "success": false }</c>.
    /// </summary>
    /// <value>The default value is <see langword="false"/> (refuse).</value>
    public bool IgnoreAnonymousConnections { get; set; }
}
