namespace Presence.Redis.Internal;

/// <summary>
/// When this node's connections get their snapshot again (<see cref="IPresenceResyncSource"/>): a
/// restore, or a reconnect to Redis, asks for one after a delay (the shard settles first); requests
/// that come while one is pending move it later, never earlier, so one fault gives one resync.
/// </summary>
internal sealed class ResyncSchedule(TimeProvider timeProvider, Action fire) : IDisposable
{
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private long _dueAt;
    private bool _disposed;

    /// <summary>Asks for a resync no sooner than <paramref name="delay"/> from now.</summary>
    public void After(TimeSpan delay)
    {
        lock (_lock)
        {
            var due = timeProvider.GetTimestamp() + (long)(delay.TotalSeconds * timeProvider.TimestampFrequency);
            if (_disposed || (_timer is not null && _dueAt >= due))
            {
                return;
            }

            _dueAt = due;
            _timer?.Dispose();
            _timer = timeProvider.CreateTimer(static state => ((ResyncSchedule)state!).Fire(), this, delay, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Fire()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _timer?.Dispose();
            _timer = null;
        }

        fire();
    }
}
