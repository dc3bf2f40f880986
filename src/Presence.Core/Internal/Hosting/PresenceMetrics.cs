using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Presence.Internal;

/// <summary>
/// Presence's instruments on the <see cref="PresenceDiagnostics.MeterName"/> meter, created from the
/// host's <see cref="IMeterFactory"/> (or a private meter when the container has none).
/// Names follow OpenTelemetry conventions; see docs/observability.md.
/// </summary>
internal sealed class PresenceMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _transitions;
    private readonly Counter<long> _heartbeats;
    private readonly Histogram<double> _sweepDuration;
    private readonly Counter<long> _sweptConnections;
    private readonly Histogram<double> _storeDuration;
    private readonly Counter<long> _storeFailures;
    private readonly Histogram<long> _fanOutSize;

    public PresenceMetrics(IServiceProvider services, LocalConnectionRegistry localConnections)
    {
        var factory = services.GetService<IMeterFactory>();
        _ownsMeter = factory is null;
        _meter = factory?.Create(PresenceDiagnostics.MeterName) ?? new Meter(PresenceDiagnostics.MeterName);

        _meter.CreateObservableUpDownCounter(
            "presence.connections.active", () => (long)localConnections.ConnectionCount, "{connection}",
            "Connections open on this node.");
        _meter.CreateObservableUpDownCounter(
            "presence.users.online", () => (long)localConnections.UserCount, "{user}",
            "Users with at least one connection open on this node.");
        _transitions = _meter.CreateCounter<long>(
            "presence.transitions", "{transition}", "Presence transitions published by this node, by kind (online, offline) and offline reason.");
        _heartbeats = _meter.CreateCounter<long>("presence.heartbeats", "{heartbeat}", "Heartbeats (presence:ping) handled by this node.");
        _sweepDuration = _meter.CreateHistogram<double>("presence.sweep.duration", "s", "How long one expiry sweep took.");
        _sweptConnections = _meter.CreateCounter<long>("presence.sweep.expired", "{connection}", "Expired connections removed by this node's sweeps.");
        _storeDuration = _meter.CreateHistogram<double>("presence.store.operation.duration", "s", "Duration of presence store operations, by operation.");
        _storeFailures = _meter.CreateCounter<long>("presence.store.failures", "{failure}", "Presence store operations that failed, by operation.");
        _fanOutSize = _meter.CreateHistogram<long>("presence.fanout.size", "{recipient}", "Recipients named in one presence event send (user ids plus groups).");
    }

    public bool StoreDurationEnabled => _storeDuration.Enabled;

    public void Transition(PresenceEvent presenceEvent)
    {
        if (!_transitions.Enabled)
        {
            return;
        }

        if (presenceEvent is UserOffline offline)
        {
            _transitions.Add(1, new KeyValuePair<string, object?>("presence.transition", "offline"),
                new KeyValuePair<string, object?>("presence.offline.reason", offline.Reason == OfflineReason.Expired ? "expired" : "disconnected"));
        }
        else
        {
            _transitions.Add(1, new KeyValuePair<string, object?>("presence.transition", "online"));
        }
    }

    public void Heartbeat() => _heartbeats.Add(1);

    public void SweepCompleted(long startTimestamp, int removedConnections)
    {
        _sweepDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
        if (removedConnections > 0)
        {
            _sweptConnections.Add(removedConnections);
        }
    }

    public void StoreOperation(string operation, long startTimestamp) =>
        _storeDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("presence.store.operation", operation));

    public void StoreFailure(string operation) =>
        _storeFailures.Add(1, new KeyValuePair<string, object?>("presence.store.operation", operation));

    public void FanOut(int recipients) => _fanOutSize.Record(recipients);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
