namespace Presence.Chaos.Checking;

/// <summary>A union of closed time intervals (run seconds), kept sorted and merged.</summary>
internal sealed class Intervals
{
    private readonly List<(double Start, double End)> _items;

    private Intervals(List<(double Start, double End)> items) => _items = items;

    public static Intervals Of(IEnumerable<(double Start, double End)> intervals)
    {
        var merged = new List<(double Start, double End)>();
        foreach (var (start, end) in intervals.Where(static i => i.End > i.Start).OrderBy(static i => i.Start))
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, end));
            }
            else
            {
                merged.Add((start, end));
            }
        }

        return new Intervals(merged);
    }

    public Intervals Union(Intervals other) => Of(_items.Concat(other._items));

    public bool Contains(double t)
    {
        var index = _items.BinarySearch((t, double.MaxValue), Comparer<(double Start, double End)>.Create(static (a, b) => a.Start.CompareTo(b.Start)));
        var candidate = index >= 0 ? index : ~index - 1;
        return candidate >= 0 && _items[candidate].Start <= t && t <= _items[candidate].End;
    }

    public bool Intersects(double start, double end) => _items.Any(i => i.Start <= end && start <= i.End);

    /// <summary>The first instant of [start, end) not covered, if the uncovered part is longer than <paramref name="tolerance"/>.</summary>
    public double? FirstUncovered(double start, double end, double tolerance = 0.001)
    {
        var cursor = start;
        double? first = null;
        var uncovered = 0.0;
        foreach (var (a, b) in _items)
        {
            if (b <= cursor)
            {
                continue;
            }

            if (a >= end)
            {
                break;
            }

            if (a > cursor)
            {
                first ??= cursor;
                uncovered += a - cursor;
            }

            cursor = Math.Max(cursor, b);
            if (cursor >= end)
            {
                break;
            }
        }

        if (cursor < end)
        {
            first ??= cursor;
            uncovered += end - cursor;
        }

        return uncovered > tolerance ? first : null;
    }

    /// <summary>The first instant of [start, end) inside this set and outside <paramref name="excluded"/>.</summary>
    public double? FirstCoveredOutside(double start, double end, Intervals excluded, double tolerance = 0.001)
    {
        foreach (var (a, b) in _items)
        {
            var from = Math.Max(a, start);
            var to = Math.Min(b, end);
            if (to - from > tolerance && excluded.FirstUncovered(from, to, tolerance) is { } t)
            {
                return t;
            }
        }

        return null;
    }
}
