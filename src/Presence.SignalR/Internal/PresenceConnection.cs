namespace Presence.SignalR.Internal;

/// <summary>
/// What the presence filter leaves in <c>HubCallerContext.Items</c> for one connection: whom it
/// tracks (or that it deliberately ignores an anonymous connection), so ping and disconnect need no
/// service lookup and can tell "not tracked" from "presence not attached".
/// </summary>
internal sealed class PresenceConnection
{
    public static readonly object ItemKey = new();

    private static readonly PresencePingResult s_succeeded = new(true);
    private static readonly PresencePingResult s_notTracked = new(false);

    private readonly IPresenceTracker? _tracker;

    private PresenceConnection(string? userId, IPresenceTracker? tracker)
    {
        UserId = userId;
        _tracker = tracker;
    }

    public static PresenceConnection Anonymous { get; } = new(null, null);

    /// <summary>The tracked user, or <see langword="null"/> for an ignored anonymous connection.</summary>
    public string? UserId { get; }

    public static PresenceConnection Tracked(string userId, IPresenceTracker tracker) => new(userId, tracker);

    public ValueTask<PresencePingResult> PingAsync(string connectionId)
    {
        if (UserId is null || _tracker is null)
        {
            return new(s_notTracked);
        }

        // The lease must be refreshed even when the caller's connection is aborted mid-ping.
#pragma warning disable CA2012 // Reading Result of a completed ValueTask once is the documented safe pattern.
        var pending = _tracker.PingAsync(UserId, connectionId, CancellationToken.None);
        if (pending.IsCompletedSuccessfully)
        {
            _ = pending.Result;
            return new(s_succeeded);
        }
#pragma warning restore CA2012

        return AwaitPingAsync(pending);
    }

    private static async ValueTask<PresencePingResult> AwaitPingAsync(ValueTask<PresenceChange> pending)
    {
        await pending.ConfigureAwait(false);
        return s_succeeded;
    }
}
