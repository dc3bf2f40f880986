using System.Diagnostics;
using System.Globalization;

namespace Presence.LoadTest;

/// <summary>Thread-safe latency samples (Stopwatch ticks) with percentiles in milliseconds.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<long> _ticks = [];

    public int Count
    {
        get
        {
            lock (_ticks)
            {
                return _ticks.Count;
            }
        }
    }

    public void Add(long elapsedTicks)
    {
        lock (_ticks)
        {
            _ticks.Add(elapsedTicks);
        }
    }

    /// <summary>The nearest-rank percentile in ms, or NaN without samples.</summary>
    public double Percentile(double percent)
    {
        lock (_ticks)
        {
            if (_ticks.Count == 0)
            {
                return double.NaN;
            }

            _ticks.Sort();
            var rank = (int)Math.Ceiling(percent / 100 * _ticks.Count);
            return ToMilliseconds(_ticks[Math.Clamp(rank - 1, 0, _ticks.Count - 1)]);
        }
    }

    public double Max => Percentile(100);

    /// <summary>"p50 / p99 / max" in ms.</summary>
    public string Summary() => Count == 0
        ? "no samples"
        : string.Create(CultureInfo.InvariantCulture, $"{Percentile(50):0.0} / {Percentile(99):0.0} / {Max:0.0} ms ({Count:N0} samples)");

    private static double ToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
