using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Presence.SignalR;

namespace Presence.LoadTest;

/// <summary>What the clients observe during one run: latencies, counts and errors, shared by every client.</summary>
internal sealed class LoadTestRun
{
    private readonly ConcurrentDictionary<string, long> _connectStarted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _arrivals = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _errorSamples = new();
    private int _errors;
    private int _unexpectedOffline;
    private int _unexpectedClosed;
    private int _pingFailures;
    private long _onlineEvents;
    private long _offlineEvents;
    private long _staleOnlineEvents;
    private volatile bool _stopping;

    /// <summary>Online events of the users connected in the ramp, connect start to watcher receipt.</summary>
    public LatencyRecorder OnlineLatency { get; } = new();

    /// <summary>Online events of the ramp's users, server transition timestamp to watcher receipt.</summary>
    public LatencyRecorder DeliveryLatency { get; } = new();

    /// <summary>Online events of the users who arrived during the steady phase, connect start to watcher receipt.</summary>
    public LatencyRecorder ArrivalOnlineLatency { get; } = new();

    /// <summary>Online events of the steady phase's arrivals, server transition timestamp to watcher receipt.</summary>
    public LatencyRecorder ArrivalDeliveryLatency { get; } = new();

    public LatencyRecorder PingRoundTrip { get; } = new();

    public LatencyRecorder ConnectTime { get; } = new();

    public int Errors => Volatile.Read(ref _errors);

    public int UnexpectedOffline => Volatile.Read(ref _unexpectedOffline);

    public int UnexpectedClosed => Volatile.Read(ref _unexpectedClosed);

    public int PingFailures => Volatile.Read(ref _pingFailures);

    public long OnlineEvents => Interlocked.Read(ref _onlineEvents);

    public long OfflineEvents => Interlocked.Read(ref _offlineEvents);

    /// <summary>Online events a client received about a user already in the bulk-online list it had been sent.</summary>
    public long StaleOnlineEvents => Interlocked.Read(ref _staleOnlineEvents);

    public IReadOnlyCollection<string> ErrorSamples => _errorSamples;

    public void StaleOnlineReceived() => Interlocked.Increment(ref _staleOnlineEvents);

    /// <summary>From now on, closes and offline events are the shutdown's, not errors.</summary>
    public void Stopping() => _stopping = true;

    public void ConnectStarting(string userId, long timestamp) => _connectStarted[userId] = timestamp;

    /// <summary>Marks a user as a steady-phase arrival, whose latencies are recorded apart from the ramp's.</summary>
    public void MarkArrival(string userId) => _arrivals[userId] = 0;

    public void Connected(string userId, long timestamp)
    {
        if (_connectStarted.TryGetValue(userId, out var started))
        {
            ConnectTime.Add(timestamp - started);
        }
    }

    /// <summary>
    /// <paramref name="watcherId"/> heard that a user came online. Two latencies: from that user's connect
    /// start (what a person watching sees), and from the server's transition timestamp (the delivery
    /// alone; one machine, one clock). A user hearing about itself (it is in its team's group) is no watcher;
    /// only the <paramref name="first"/> online a watcher hears of a user dates from that user's connect.
    /// </summary>
    public void OnlineReceived(string watcherId, PresenceOnlineMessage message, long timestamp, bool first)
    {
        Interlocked.Increment(ref _onlineEvents);
        if (string.Equals(watcherId, message.UserId, StringComparison.Ordinal))
        {
            return;
        }

        var arrival = _arrivals.ContainsKey(message.UserId);
        if (first && _connectStarted.TryGetValue(message.UserId, out var started))
        {
            (arrival ? ArrivalOnlineLatency : OnlineLatency).Add(timestamp - started);
        }

        if (DateTimeOffset.TryParse(message.Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent))
        {
            var delivery = DateTimeOffset.UtcNow - sent;
            (arrival ? ArrivalDeliveryLatency : DeliveryLatency).Add(Math.Max(0, (long)(delivery.TotalSeconds * Stopwatch.Frequency)));
        }
    }

    public void OfflineReceived(string userId, string? reason)
    {
        Interlocked.Increment(ref _offlineEvents);
        if (!_stopping)
        {
            // Every client keeps pinging until the end: an offline before then is a lost lease or a dropped connection.
            Interlocked.Increment(ref _unexpectedOffline);
            Error("offline", userId, new InvalidOperationException($"presence:offline ({reason}) while the user was still connected and pinging."));
        }
    }

    public void ConnectionClosed(string userId, Exception? error)
    {
        if (!_stopping)
        {
            Interlocked.Increment(ref _unexpectedClosed);
            Error("closed", userId, error ?? new InvalidOperationException("The server closed the connection."));
        }
    }

    public void PingCompleted(long elapsedTicks, bool success)
    {
        PingRoundTrip.Add(elapsedTicks);
        if (!success)
        {
            Interlocked.Increment(ref _pingFailures);
            Error("ping", "", new InvalidOperationException("presence:ping answered success=false."));
        }
    }

    public void Error(string phase, string userId, Exception exception)
    {
        if (Interlocked.Increment(ref _errors) <= 10)
        {
            _errorSamples.Enqueue($"{phase} {userId}: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
