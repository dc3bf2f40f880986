using System.Diagnostics;
using System.Globalization;

namespace Presence.Chaos.History;

/// <summary>Seconds since the run started, for every recorded instant: the test's own and the store's (Redis TIME, same host clock).</summary>
internal static class RunClock
{
    private static readonly long StartTimestamp = Stopwatch.GetTimestamp();

    private static readonly DateTimeOffset ProcessStartUtc = DateTimeOffset.UtcNow;

    private static readonly AsyncLocal<DateTimeOffset?> SavedStartUtc = new();

    /// <summary>When this process's run started; inside <see cref="WithStart{T}"/>, when the saved run being re-checked started.</summary>
    public static DateTimeOffset StartUtc => SavedStartUtc.Value ?? ProcessStartUtc;

    public static double Now => Stopwatch.GetElapsedTime(StartTimestamp).TotalSeconds;

    /// <summary>
    /// When the store decided a change, from its version: <c>max(previous + 1, Redis time in µs)</c>
    /// (redis.md), so it is the decision time, late by at most the changes of that user within a microsecond.
    /// </summary>
    public static double FromVersion(long version) => (version / 1_000_000.0) - (StartUtc.ToUnixTimeMilliseconds() / 1000.0);

    /// <summary>A store decision time (ISO-8601, <c>Date.toISOString()</c> style) on the run's time line.</summary>
    public static double FromStoreTimestamp(string timestamp) =>
        (DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) - StartUtc).TotalSeconds;

    /// <summary>
    /// Runs <paramref name="body"/> on the time line of a run that started at <paramref name="startUtc"/>
    /// (<see cref="Scenario.ChaosRun.StartUtc"/> of a saved run): versions then convert to that run's seconds.
    /// Only this call and what it awaits see the change.
    /// </summary>
    public static T WithStart<T>(DateTimeOffset startUtc, Func<T> body)
    {
        var previous = SavedStartUtc.Value;
        SavedStartUtc.Value = startUtc;
        try
        {
            return body();
        }
        finally
        {
            SavedStartUtc.Value = previous;
        }
    }
}
