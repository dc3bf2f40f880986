namespace Presence.Chaos.History;

internal enum EventKind
{
    Online,
    Offline,
    Status,
    BulkOnline,
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

    public IReadOnlyDictionary<string, long> Versions { get; init; } = new Dictionary<string, long>();

    public override string ToString() => Kind == EventKind.BulkOnline
        ? $"@{ArrivedAt:0.000} bulk-online [{string.Join(' ', Users.Select(u => $"{u}:v{Versions.GetValueOrDefault(u)}"))}]"
        : $"@{ArrivedAt:0.000} {Kind.ToString().ToLowerInvariant()} {UserId} v{Version}{(Status is null ? "" : " " + Status)}{(Reason is null ? "" : " " + Reason)} decided@{DecidedAt:0.000}";
}
