using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Presence.Redis.Internal;

/// <summary>
/// How late heartbeats reach Redis: from the moment a ping was queued to Redis's reply. Recorded as
/// the <c>presence.heartbeat.delay</c> histogram and, once it eats a quarter of the slack a lease has
/// (<c>ConnectionTtl - HeartbeatInterval</c>, at least 250 ms), logged as a warning at most every
/// 10 seconds: past the slack, connections whose clients ping on time expire.
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
        _delay = _meter.CreateHistogram<double>(InstrumentName, "s", "How long a heartbeat took from being queued on this node to Redis's reply.");
        _logger = logger;
        _warnAbove = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(250).Ticks, (settings.Ttl - settings.HeartbeatInterval).Ticks / 4));
        _ttlMilliseconds = (long)settings.Ttl.TotalMilliseconds;
        _lastWarning = Stopwatch.GetTimestamp() - (long)(s_warnEvery.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The lateness above which a warning is logged.</summary>
    public TimeSpan WarnAbove => _warnAbove;

    /// <summary>A call carrying <paramref name="count"/> heartbeats, the oldest queued at <paramref name="oldestQueuedAt"/>, was answered now.</summary>
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
