using System.Globalization;

namespace Presence.ScaleSim;

/// <summary>What the run ran on, read from <c>/proc</c>.</summary>
internal static class MachineInfo
{
    /// <summary>The CPU model name (as lscpu shows it).</summary>
    /// <returns>The model, or "unknown".</returns>
    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(static l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    /// <returns>For example "0.52 1.10 2.02".</returns>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>Total memory in GiB.</summary>
    /// <returns>MemTotal from /proc/meminfo, or 0.</returns>
    public static double MemoryGiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(static l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
