namespace Presence.ScaleSim;

/// <summary>Heartbeats completed in one phase, with their lateness (due time to completion).</summary>
internal sealed class PhaseFigures
{
    private long _heartbeats;
    private long _reRegistrations;

    /// <summary>Gets the lateness of the heartbeats completed in this phase.</summary>
    public LatencyHistogram Lateness { get; } = new();

    /// <summary>Gets how many heartbeats completed in this phase.</summary>
    public long Heartbeats => Volatile.Read(ref _heartbeats);

    /// <summary>Gets how many heartbeats found their connection gone and brought the user back online (<c>CameOnline</c>).</summary>
    public long ReRegistrations => Volatile.Read(ref _reRegistrations);

    /// <summary>Records one completed heartbeat.</summary>
    /// <param name="latenessTicks">Due time to completion, in Stopwatch ticks.</param>
    /// <param name="cameOnline">Whether it re-registered the connection.</param>
    public void Completed(long latenessTicks, bool cameOnline)
    {
        Interlocked.Increment(ref _heartbeats);
        if (cameOnline)
        {
            Interlocked.Increment(ref _reRegistrations);
        }

        Lateness.Record(latenessTicks);
    }
}
