namespace Presence.Internal;

/// <summary>When the sweeper last finished a sweep, for the health check's sweep-lag rule.</summary>
internal sealed class SweepState(TimeProvider timeProvider)
{
    private long _lastSuccessTicks = timeProvider.GetUtcNow().UtcTicks;
    private long _lastFailureTicks;

    public DateTimeOffset LastSuccess => new(Interlocked.Read(ref _lastSuccessTicks), TimeSpan.Zero);

    public DateTimeOffset? LastFailure => Interlocked.Read(ref _lastFailureTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Succeeded() => Interlocked.Exchange(ref _lastSuccessTicks, timeProvider.GetUtcNow().UtcTicks);

    public void Failed() => Interlocked.Exchange(ref _lastFailureTicks, timeProvider.GetUtcNow().UtcTicks);
}
