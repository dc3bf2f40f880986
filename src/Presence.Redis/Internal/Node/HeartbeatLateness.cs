using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Presence.Redis.Internal;

/// <summary>
/// How long the renewals of the node's lease take (the lease carries every heartbeat of the node's
/// connections: heartbeats themselves stay in the node's memory). Recorded as the
/// <c>presence.heartbeat.delay</c> histogram and, once a renewal eats a quarter of the slack the lease
/// has (<c>ConnectionTtl</c> minus the renewal period, at least 250 ms), logged as a warning at most
/// every 10 seconds: past the slack, the node's users are reported offline.
/// </summary>
internal sealed class HeartbeatLateness : IDisposable
{
    /// <summary>The histogram's name on the <see cref="PresenceDiagnostics.MeterName"/> meter.</summary>
    public const string InstrumentName = "presence.heartbeat.delay";

    private static readonly TimeSpan s_warnEvery = TimeSpan.FromSeconds(10);

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _delay;
    private readonly ILogger _logger;
    private readonly TimeSpan _warnAbove;
    private readonly long _ttlMilliseconds;
    private long _lastWarning;

    public HeartbeatLateness(IMeterFactory? meterFactory, ILogger logger, RedisStoreSettings settings)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(PresenceDiagnostics.MeterName) ?? new Meter(PresenceDiagnostics.MeterName);
        _delay = _meter.CreateHistogram<double>(InstrumentName, "s", "How long a renewal of this node's lease, which carries all its heartbeats, took to reach Redis and come back.");
        _logger = logger;
        _warnAbove = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(250).Ticks, (settings.Ttl - settings.LeaseRenewalPeriod).Ticks / 4));
        _ttlMilliseconds = (long)settings.Ttl.TotalMilliseconds;
        _lastWarning = Stopwatch.GetTimestamp() - (long)(s_warnEvery.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The lateness above which a warning is logged.</summary>
    public TimeSpan WarnAbove => _warnAbove;

    /// <summary>A renewal of <paramref name="count"/> shards' leases, started at <paramref name="oldestQueuedAt"/> (a <see cref="Stopwatch"/> timestamp), was answered now.</summary>
    public void Observe(long oldestQueuedAt, int count)
    {
        var now = Stopwatch.GetTimestamp();
        var delay = Stopwatch.GetElapsedTime(oldestQueuedAt, now);
        if (_delay.Enabled)
        {
            _delay.Record(delay.TotalSeconds);
        }

        if (delay <= _warnAbove)
        {
            return;
        }

        var last = Volatile.Read(ref _lastWarning);
        if (Stopwatch.GetElapsedTime(last, now) >= s_warnEvery && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            Log.HeartbeatsLate(_logger, (long)delay.TotalMilliseconds, count, _ttlMilliseconds);
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
