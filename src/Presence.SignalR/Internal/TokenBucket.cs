namespace Presence.SignalR.Internal;

/// <summary>
/// A per-connection rate limit: <c>capacity</c> permits that refill evenly over <c>window</c>, read
/// from the <see cref="TimeProvider"/> so tests drive it with a fake clock.
/// </summary>
internal sealed class TokenBucket
{
    private readonly int _capacity;
    private readonly long _windowTicks;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private double _tokens;
    private long _refilledAt;

    public TokenBucket(int capacity, TimeSpan window, TimeProvider timeProvider)
    {
        _capacity = capacity;
        _windowTicks = window.Ticks;
        _timeProvider = timeProvider;
        _tokens = capacity;
        _refilledAt = timeProvider.GetTimestamp();
    }

    public int Capacity => _capacity;

    public TimeSpan Window => TimeSpan.FromTicks(_windowTicks);

    /// <summary>Takes one permit, or returns <see langword="false"/> when none is left.</summary>
    public bool TryTake()
    {
        // Callers may invoke in parallel when the host raised MaximumParallelInvocationsPerClient.
        lock (_gate)
        {
            var now = _timeProvider.GetTimestamp();
            var elapsed = _timeProvider.GetElapsedTime(_refilledAt, now).Ticks;
            _refilledAt = now;
            if (elapsed >= _windowTicks)
            {
                _tokens = _capacity;
            }
            else if (elapsed > 0)
            {
                // Multiply before dividing: whole windows refill exactly, with no rounding drift.
                _tokens = Math.Min(_capacity, _tokens + ((double)elapsed * _capacity / _windowTicks));
            }

            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
