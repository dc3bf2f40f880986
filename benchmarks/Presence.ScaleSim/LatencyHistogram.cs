using System.Diagnostics;

namespace Presence.ScaleSim;

/// <summary>
/// A lock-free latency histogram: 10 µs buckets below 100 ms, 1 ms buckets below 10 s, 100 ms
/// buckets below 10 min; the maximum is exact. Percentiles are a bucket's upper edge.
/// </summary>
internal sealed class LatencyHistogram
{
    private const long FineLimitUs = 100_000;
    private const long MediumLimitUs = 10_000_000;
    private const long CoarseLimitUs = 600_000_000;
    private const int FineBuckets = (int)(FineLimitUs / 10);
    private const int MediumBuckets = (int)((MediumLimitUs - FineLimitUs) / 1000);
    private const int CoarseBuckets = (int)((CoarseLimitUs - MediumLimitUs) / 100_000);

    private readonly long[] _counts = new long[FineBuckets + MediumBuckets + CoarseBuckets + 1];
    private long _count;
    private long _maxUs;

    /// <summary>Gets how many values were recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Gets the largest value recorded, in milliseconds.</summary>
    public double MaxMs => Volatile.Read(ref _maxUs) / 1000.0;

    /// <summary>Records a latency given in <see cref="Stopwatch"/> ticks; a negative one counts as zero.</summary>
    /// <param name="ticks">The latency.</param>
    public void Record(long ticks)
    {
        var us = Math.Max(0, ticks) * 1_000_000 / Stopwatch.Frequency;
        Interlocked.Increment(ref _counts[Bucket(us)]);
        Interlocked.Increment(ref _count);
        var max = Volatile.Read(ref _maxUs);
        while (us > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxUs, us, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The value below which <paramref name="quantile"/> of the recorded values lie, in milliseconds.</summary>
    /// <param name="quantile">Between 0 and 1.</param>
    /// <returns>The percentile; 0 when nothing was recorded.</returns>
    public double PercentileMs(double quantile)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperEdgeUs(i), Volatile.Read(ref _maxUs)) / 1000.0;
            }
        }

        return MaxMs;
    }

    private static int Bucket(long us) =>
        us < FineLimitUs ? (int)(us / 10)
        : us < MediumLimitUs ? FineBuckets + (int)((us - FineLimitUs) / 1000)
        : us < CoarseLimitUs ? FineBuckets + MediumBuckets + (int)((us - MediumLimitUs) / 100_000)
        : FineBuckets + MediumBuckets + CoarseBuckets;

    private static long UpperEdgeUs(int bucket) =>
        bucket < FineBuckets ? (bucket + 1) * 10L
        : bucket < FineBuckets + MediumBuckets ? FineLimitUs + ((bucket - FineBuckets + 1) * 1000L)
        : bucket < FineBuckets + MediumBuckets + CoarseBuckets ? MediumLimitUs + ((bucket - FineBuckets - MediumBuckets + 1) * 100_000L)
        : long.MaxValue;
}
