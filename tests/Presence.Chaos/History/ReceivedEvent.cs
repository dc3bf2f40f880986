namespace Presence.Chaos.History;

internal enum EventKind
{
    Online,
    Offline,
    Status,
    BulkOnline,

    /// <summary>Not a message: the test sent <c>presence:subscribe</c> for <see cref="ReceivedEvent.Scope"/> (entitled from here).</summary>
    SubscribeSent,

    /// <summary>The <c>presence:subscribe</c> reply: a snapshot of <see cref="ReceivedEvent.Scope"/> (online ones in <see cref="ReceivedEvent.Users"/>).</summary>
    SubscribeReply,

    /// <summary>Not a message: <c>presence:unsubscribe</c> for <see cref="ReceivedEvent.Scope"/> succeeded (its reply came).</summary>
    Unsubscribed,
}

/// <summary>One presence message a watcher connection received, as it arrived.</summary>
internal sealed class ReceivedEvent
{
    public required EventKind Kind { get; init; }

    /// <summary>The user the event is about; empty for a bulk-online.</summary>
    public required string UserId { get; init; }

    public long Version { get; init; }

    public string? Status { get; init; }

    public string? Reason { get; init; }

    /// <summary>When the watcher received it (run seconds).</summary>
    public required double ArrivedAt { get; init; }

    /// <summary>The store's decision time (run seconds); NaN for a bulk-online.</summary>
    public double DecidedAt { get; init; } = double.NaN;

    public IReadOnlyList<string> Users { get; init; } = [];

    /// <summary>Subscribe and unsubscribe: the users the call named.</summary>
    public IReadOnlyList<string> Scope { get; init; } = [];

    /// <summary>A presence message about one user: online, offline or status.</summary>
    public bool IsTransitionOrStatus => Kind is EventKind.Online or EventKind.Offline or EventKind.Status;

    public IReadOnlyDictionary<string, long> Versions { get; init; } = new Dictionary<string, long>();

    public override string ToString() => Kind switch
    {
        EventKind.BulkOnline => $"@{ArrivedAt:0.000} bulk-online [{string.Join(' ', Users.Select(u => $"{u}:v{Versions.GetValueOrDefault(u)}"))}]",
        EventKind.SubscribeReply => $"@{ArrivedAt:0.000} subscribe reply for [{string.Join(' ', Scope)}]: online [{string.Join(' ', Users.Select(u => $"{u}:v{Versions.GetValueOrDefault(u)}"))}]",
        EventKind.SubscribeSent => $"@{ArrivedAt:0.000} (sent subscribe [{string.Join(' ', Scope)}])",
        EventKind.Unsubscribed => $"@{ArrivedAt:0.000} (unsubscribed [{string.Join(' ', Scope)}])",
        _ => $"@{ArrivedAt:0.000} {Kind.ToString().ToLowerInvariant()} {UserId} v{Version}{(Status is null ? "" : " " + Status)}{(Reason is null ? "" : " " + Reason)} decided@{DecidedAt:0.000}",
    };
}
