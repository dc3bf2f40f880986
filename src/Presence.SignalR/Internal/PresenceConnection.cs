using Microsoft.AspNetCore.SignalR;

namespace Presence.SignalR.Internal;

/// <summary>
/// What the presence filter leaves in <c>HubCallerContext.Items</c> for one connection: whom it
/// tracks (or that it deliberately ignores an anonymous connection), its rate limits and its
/// subscriptions, so hub methods need no service lookup and can tell "not tracked" from
/// "presence not attached".
/// </summary>
#pragma warning disable CA1001 // The gate is a SemaphoreSlim whose wait handle is never used: nothing to release, and an invocation may still hold it after the connection closed.
internal sealed class PresenceConnection
#pragma warning restore CA1001
{
    public static readonly object ItemKey = new();

    public PresenceConnection(
        PresenceHubCommands commands,
        string? userId,
        string connectionId,
        IGroupManager? groups,
        TokenBucket? pingLimit,
        TokenBucket? subscribeLimit,
        TokenBucket? statusLimit)
    {
        Commands = commands;
        UserId = userId;
        ConnectionId = connectionId;
        Groups = groups;
        PingLimit = pingLimit;
        SubscribeLimit = subscribeLimit;
        StatusLimit = statusLimit;
    }

    public PresenceHubCommands Commands { get; }

    /// <summary>The hub the connection is on, once it is tracked (a resync sends through that hub's context).</summary>
    public Type? Hub { get; init; }

    /// <summary>The tracked user, or <see langword="null"/> for an ignored anonymous connection.</summary>
    public string? UserId { get; }

    public string ConnectionId { get; }

    /// <summary>The hub's group manager (the hub context's, so it outlives the transient hub instance).</summary>
    public IGroupManager? Groups { get; }

    public TokenBucket? PingLimit { get; }

    public TokenBucket? SubscribeLimit { get; }

    public TokenBucket? StatusLimit { get; }

    /// <summary>The users this connection subscribed to; read and written only while holding <see cref="WatchGate"/>.</summary>
    public HashSet<string> Watched { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The watched users whose watch group this connection joined: those it does not hear through the
    /// interest resolver. Read and written only while holding <see cref="WatchGate"/>.
    /// </summary>
    public HashSet<string> WatchGroups { get; } = new(StringComparer.Ordinal);

    /// <summary>Serializes subscribe and unsubscribe, so the watched set and group membership never disagree.</summary>
    public SemaphoreSlim WatchGate { get; } = new(1, 1);
}
