using System.Diagnostics;
using System.Globalization;

namespace Presence.Chaos.History;

/// <summary>Seconds since the run started, for every recorded instant: the test's own and the store's (Redis TIME, same host clock).</summary>
internal static class RunClock
{
    private static readonly long StartTimestamp = Stopwatch.GetTimestamp();

    public static DateTimeOffset StartUtc { get; } = DateTimeOffset.UtcNow;

    public static double Now => Stopwatch.GetElapsedTime(StartTimestamp).TotalSeconds;

    /// <summary>
    /// When the store decided a change, from its version: <c>max(previous + 1, Redis time in µs)</c>
    /// (redis.md), so it is the decision time, late by at most the changes of that user within a microsecond.
    /// </summary>
    public static double FromVersion(long version) => (version / 1_000_000.0) - (StartUtc.ToUnixTimeMilliseconds() / 1000.0);

    /// <summary>A store decision time (ISO-8601, <c>Date.toISOString()</c> style) on the run's time line.</summary>
    public static double FromStoreTimestamp(string timestamp) =>
        (DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) - StartUtc).TotalSeconds;
}
