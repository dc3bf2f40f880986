using System.Globalization;

namespace Presence.LoadTest;

/// <summary>
/// Samples a process's CPU (utime + stime from <c>/proc/PID/stat</c>) and resident memory
/// (<c>/proc/PID/status</c>) once a second. CPU is in percent of one core, so 200% is both cores here.
/// </summary>
internal sealed class ProcessSampler
{
    // USER_HZ: the unit of utime and stime; 100 on every Linux build .NET supports.
    private const double TicksPerSecond = 100;

    private readonly int _pid;
    private readonly List<double> _cpu = [];
    private long _lastTicks;
    private DateTime _lastTime;

    public ProcessSampler(int pid)
    {
        _pid = pid;
        _lastTicks = ReadTicks();
        _lastTime = DateTime.UtcNow;
    }

    public long PeakRssBytes { get; private set; }

    public long LastRssBytes { get; private set; }

    /// <summary>Takes a sample; the phase label groups samples for the report.</summary>
    public void Sample()
    {
        var ticks = ReadTicks();
        var now = DateTime.UtcNow;
        var seconds = (now - _lastTime).TotalSeconds;
        if (ticks >= 0 && seconds > 0.2)
        {
            lock (_cpu)
            {
                _cpu.Add((ticks - _lastTicks) / TicksPerSecond / seconds * 100);
            }

            _lastTicks = ticks;
            _lastTime = now;
        }

        var rss = ReadStatusKilobytes("VmRSS:") * 1024;
        if (rss > 0)
        {
            LastRssBytes = rss;
        }

        PeakRssBytes = Math.Max(PeakRssBytes, ReadStatusKilobytes("VmHWM:") * 1024);
    }

    /// <summary>Average and maximum CPU since the last call, then starts over.</summary>
    public (double Average, double Max) TakeCpu()
    {
        lock (_cpu)
        {
            var result = _cpu.Count == 0 ? (0, 0) : (_cpu.Average(), _cpu.Max());
            _cpu.Clear();
            return result;
        }
    }

    /// <summary>The process's CPU so far (user + system), in seconds; NaN once it is gone.</summary>
    public double CpuSeconds()
    {
        var ticks = ReadTicks();
        return ticks < 0 ? double.NaN : ticks / TicksPerSecond;
    }

    private long ReadTicks()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{_pid}/stat");
            // The command name (field 2) may hold spaces; fields after its closing parenthesis are plain.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private long ReadStatusKilobytes(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
