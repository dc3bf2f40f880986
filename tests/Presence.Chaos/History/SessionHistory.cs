namespace Presence.Chaos.History;

/// <summary>
/// One SignalR connection's truth (what the test did with it and when) and its history as a
/// watcher (everything it received). Times are run seconds; NaN means "not (yet)".
/// </summary>
internal sealed class SessionHistory
{
    private readonly List<ReceivedEvent> _events = [];

    public required int Id { get; init; }

    public required string UserId { get; init; }

    public required string Team { get; init; }

    public required string Node { get; init; }

    /// <summary>When the test called StartAsync.</summary>
    public required double OpenedAt { get; init; }

    /// <summary>When its bulk-online arrived: registration is complete.</summary>
    public double RegisteredAt { get; set; } = double.NaN;

    /// <summary>When the test began closing it, or the client saw it close (node killed, server refused).</summary>
    public double ClosedAt { get; set; } = double.NaN;

    public string? CloseCause { get; set; }

    /// <summary>When the test stopped its heartbeats for good ("gone silent").</summary>
    public double SilentAt { get; set; } = double.NaN;

    /// <summary>When the last successful ping was sent, and when its reply came.</summary>
    public double LastPingSentAt { get; set; } = double.NaN;

    public double LastPingAckAt { get; set; } = double.NaN;

    public int PingsOk { get; set; }

    public int PingsFailed { get; set; }

    public int StatusesSet { get; set; }

    public int Subscribes { get; set; }

    public int Unsubscribes { get; set; }

    public bool IsClosed => !double.IsNaN(ClosedAt);

    public void Record(ReceivedEvent received)
    {
        lock (_events)
        {
            _events.Add(received);
        }
    }

    public IReadOnlyList<ReceivedEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public override string ToString() =>
        $"session #{Id} {UserId} ({Team}) on {Node}: opened@{OpenedAt:0.000} registered@{RegisteredAt:0.000} "
        + $"silent@{SilentAt:0.000} lastPingAck@{LastPingAckAt:0.000} closed@{ClosedAt:0.000} ({CloseCause ?? "open"}), "
        + $"pings {PingsOk} ok / {PingsFailed} failed";
}
