namespace Presence.SignalR;

/// <summary>
/// How presence treats the connections of the hubs it is attached to. Bound from the configuration
/// section <see cref="SectionName"/> (for example <c>Presence__SignalR__IgnoreAnonymousConnections=true</c>),
/// then the delegate passed to <c>AddSignalR().AddPresence(...)</c>; validated when the host starts.
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

    /// <summary>
    /// The most users one <c>presence:subscribe</c> may name, and the most users one connection may
    /// watch in total. A request over the limit is refused with a clear error and subscribes nobody.
    /// </summary>
    /// <value>The default value is 100. Between 1 and 10,000.</value>
    public int MaxSubscriptionSize { get; set; } = 100;

    /// <summary>
    /// The window of the per-connection rate limits: each limit's permits refill evenly over it (a
    /// token bucket), so a connection may burst up to the limit and then sustain limit / window.
    /// </summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most <c>presence:ping</c> calls one connection may make per <see cref="RateLimitWindow"/>.
    /// A ping over the limit fails with "rate limit exceeded" (the lease is not refreshed) and the
    /// connection stays open. Zero disables the limit.
    /// </summary>
    /// <value>The default value is 10 (a well-behaved client pings once per heartbeat interval, 25 seconds by default).</value>
    public int PingRateLimit { get; set; } = 10;

    /// <summary>
    /// The most <c>presence:subscribe</c> and <c>presence:unsubscribe</c> calls (together) one connection
    /// may make per <see cref="RateLimitWindow"/>. Zero disables the limit.
    /// </summary>
    /// <value>The default value is 10.</value>
    public int SubscribeRateLimit { get; set; } = 10;

    /// <summary>
    /// The most <c>presence:set-status</c> calls one connection may make per <see cref="RateLimitWindow"/>:
    /// each change is sent to the user's whole audience. Zero disables the limit.
    /// </summary>
    /// <value>The default value is 10.</value>
    public int StatusRateLimit { get; set; } = 10;
}
