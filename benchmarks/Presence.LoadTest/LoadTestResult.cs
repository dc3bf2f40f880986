using System.Globalization;
using System.Text;

namespace Presence.LoadTest;

/// <summary>The numbers of one run and their rendering: a console table and a markdown report.</summary>
internal sealed class LoadTestResult(LoadTestOptions options)
{
    public LoadTestRun Run { get; set; } = new();

    public double ConnectSeconds { get; set; }

    public int Connected { get; set; }

    public int ArrivalsConnected { get; set; }

    public int StaleViews { get; set; }

    public (double Average, double Max)? ServerCpuConnect { get; set; }

    public (double Average, double Max)? ServerCpuSteady { get; set; }

    public (double Average, double Max)? RedisCpuSteady { get; set; }

    public (double Average, double Max)? LoadClientCpu { get; set; }

    public long? ServerRssBytes { get; set; }

    public long? ServerPeakRssBytes { get; set; }

    public long? RedisRssBytes { get; set; }

    public string? RedisKeys { get; set; }

    public int Joins { get; set; }

    public int RampPings { get; set; }

    public long RampStaleOnline { get; set; }

    public int SteadyPings { get; set; }

    public double? ServerCpuRampSeconds { get; set; }

    public double? ServerCpuSteadySeconds { get; set; }

    public double? RedisCpuRampSeconds { get; set; }

    public double? RedisCpuSteadySeconds { get; set; }

    public int RedisPhaseUsers { get; set; }

    public RedisCommandCount? RedisJoinCommands { get; set; }

    public int RedisJoinWindowPings { get; set; }

    public RedisCommandCount? RedisPingCommands { get; set; }

    public int RedisPingWindowPings { get; set; }

    public int RedisPhaseErrors { get; set; }

    public string LoadAverageBefore { get; set; } = "n/a";

    public string LoadAverageAfter { get; set; } = "n/a";

    /// <summary>Failed connects, failed or unsuccessful pings, unexpected closes or offline events, and clients whose view of their team never completed.</summary>
    public int TotalErrors => Run.Errors + StaleViews + (options.Clients - Connected) + (options.Arrivals - ArrivalsConnected) + RedisPhaseErrors;

    /// <summary>
    /// The comparison's figures. CPU per ping: the steady phase (pings only) over its pings. CPU per join:
    /// the ramp and the settling of every view, less the pings made meanwhile at the steady phase's cost
    /// per ping, over the joins. Redis commands: the Redis phase, the same way.
    /// </summary>
    public E2eFigures Figures()
    {
        var serverPerPing = Divide(ServerCpuSteadySeconds, SteadyPings);
        var redisPerPing = Divide(RedisCpuSteadySeconds, SteadyPings);
        var commandsPerPing = Divide(RedisPingCommands?.Client, RedisPingWindowPings);
        var scriptPerPing = Divide(RedisPingCommands?.Lua, RedisPingWindowPings);
        var joinMix = RedisJoinCommands is null || RedisPhaseUsers == 0
            ? "n/a"
            : string.Join(", ", RedisJoinCommands.ByCommand.Where(p => p.Value > 0).OrderByDescending(p => p.Value)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {(double)p.Value / RedisPhaseUsers:0.##}")));
        return new E2eFigures(
            serverPerPing * 1e6,
            Divide(ServerCpuRampSeconds - (RampPings * serverPerPing), Joins) * 1e3,
            Run.OnlineLatency.Percentile(99),
            Run.DeliveryLatency.Percentile(99),
            Divide(RampStaleOnline, Joins),
            Divide(RedisJoinCommands?.Client - (RedisJoinWindowPings * commandsPerPing), RedisPhaseUsers),
            Divide(RedisJoinCommands?.Lua - (RedisJoinWindowPings * scriptPerPing), RedisPhaseUsers),
            commandsPerPing,
            Divide(RedisCpuRampSeconds - (RampPings * redisPerPing), Joins) * 1e6,
            redisPerPing * 1e6,
            joinMix + " (MONITOR, per join, pings included)",
            TotalErrors);
    }

    private static double Divide(double? value, long count) => value is { } v && count > 0 ? v / count : double.NaN;

    public IReadOnlyList<(string Metric, string Value)> Rows()
    {
        var rows = new List<(string, string)>
        {
            ("clients / teams", $"{options.Clients:N0} / {options.Teams:N0} ({Connected:N0} connected)"),
            ("server / store", options.Target is null ? $"{options.Server} / {options.Store}" : "external target"),
            ("ping interval / TTL / steady phase", $"{Ms(options.PingInterval)} / {Ms(options.EffectiveTtl)} / {options.Duration.TotalSeconds:0} s"),
            ("connect rate", ConnectSeconds > 0 ? $"{Connected / ConnectSeconds:N0} clients/s ({ConnectSeconds:0.0} s for all, {options.ConnectConcurrency} in flight)" : "n/a"),
            ("connect time p50 / p99 / max", Run.ConnectTime.Summary()),
            ("warm-up (throw-away clients before the ramp)", options.WarmUpClients == 0 ? "none" : $"{options.WarmUpClients:N0} clients, then 2 s"),
            ("ramp: online event latency, connect start to watcher receipt, p50 / p99 / max", Run.OnlineLatency.Summary()),
            ("ramp: online event delivery, server transition timestamp to watcher receipt, p50 / p99 / max", Run.DeliveryLatency.Summary()),
            ("steady arrivals (one by one, others online and pinging)", $"{options.Arrivals:N0} at {options.ArrivalRate}/s ({ArrivalsConnected:N0} connected)"),
            ("steady arrivals: online event latency, connect start to watcher receipt, p50 / p99 / max", Run.ArrivalOnlineLatency.Summary()),
            ("steady arrivals: online event delivery, server transition timestamp to watcher receipt, p50 / p99 / max", Run.ArrivalDeliveryLatency.Summary()),
            ("ping round trip p50 / p99 / max", Run.PingRoundTrip.Summary()),
            ("online / offline events received", $"{Run.OnlineEvents:N0} / {Run.OfflineEvents:N0}"),
            ("server CPU, connect phase (avg / max, % of one core)", Cpu(ServerCpuConnect)),
            ("server CPU, steady phase (avg / max, % of one core)", Cpu(ServerCpuSteady)),
            ("server memory, RSS at end / peak", ServerRssBytes is null ? "n/a" : $"{Mb(ServerRssBytes)} / {Mb(ServerPeakRssBytes)}"),
            ("redis-server CPU, steady phase / RSS / keys", RedisCpuSteady is null ? "n/a" : $"{Cpu(RedisCpuSteady)} / {Mb(RedisRssBytes)} / {RedisKeys}"),
            ("load generator CPU (this process, same machine)", Cpu(LoadClientCpu)),
            ("load average before / after (2 cores)", $"{LoadAverageBefore} / {LoadAverageAfter}"),
            ("joins / stale online deliveries (about users already in the joiner's bulk-online)", $"{Joins:N0} / {RampStaleOnline:N0}"),
            ("server CPU: joins' window / steady phase (s of CPU; pings in them)", ServerCpuRampSeconds is null ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{ServerCpuRampSeconds:0.00} ({RampPings:N0} pings) / {ServerCpuSteadySeconds:0.00} ({SteadyPings:N0} pings)")),
            ("redis CPU: joins' window / steady phase (s of CPU)", RedisCpuRampSeconds is null ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{RedisCpuRampSeconds:0.000} / {RedisCpuSteadySeconds:0.000}")),
            ("redis phase (one team, MONITOR): users / commands while joining / pings meanwhile", RedisJoinCommands is null ? "n/a" : $"{RedisPhaseUsers} / {RedisJoinCommands.Client:N0} (+{RedisJoinCommands.Lua:N0} in scripts) / {RedisJoinWindowPings:N0}"),
            ("redis phase: commands while only pinging / pings", RedisPingCommands is null ? "n/a" : $"{RedisPingCommands.Client:N0} (+{RedisPingCommands.Lua:N0} in scripts) / {RedisPingWindowPings:N0}"),
            ("errors", $"{TotalErrors} (run errors {Run.Errors}: unexpected offline {Run.UnexpectedOffline}, unexpected closes {Run.UnexpectedClosed}, unsuccessful pings {Run.PingFailures}; incomplete team views {StaleViews}; redis phase {RedisPhaseErrors}; not connected {options.Clients - Connected + options.Arrivals - ArrivalsConnected})"),
        };
        foreach (var (name, value, format) in Figures().Values())
        {
            rows.Add(("e2e: " + name.Trim(), E2eFigures.Format(value, format)));
        }

        return rows;
    }

    public void WriteTable(TextWriter writer)
    {
        var rows = Rows();
        var width = rows.Max(r => r.Metric.Length);
        foreach (var (metric, value) in rows)
        {
            writer.WriteLine($"{metric.PadRight(width)}  {value}");
        }

        foreach (var sample in Run.ErrorSamples)
        {
            writer.WriteLine("  error: " + sample);
        }
    }

    public string ToMarkdown(string commandLine)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Load test: {options.Clients:N0} clients, {(options.Target is null ? options.Store : "external")} store")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"`{commandLine}` — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, `{Environment.MachineName}`, {Environment.ProcessorCount} cores, .NET {Environment.Version}. The clients, the demo server and Redis all ran on this one machine.")
            .AppendLine()
            .AppendLine("| metric | value |")
            .AppendLine("| --- | --- |");
        foreach (var (metric, value) in Rows())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {metric} | {value} |");
        }

        if (Run.ErrorSamples.Count > 0)
        {
            text.AppendLine().AppendLine("First errors:").AppendLine();
            foreach (var sample in Run.ErrorSamples)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {sample}");
            }
        }

        return text.ToString();
    }

    private static string Ms(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0} ms");

    private static string Mb(long? bytes) => string.Create(CultureInfo.InvariantCulture, $"{(bytes ?? 0) / 1048576.0:0} MB");

    private static string Cpu((double Average, double Max)? cpu) =>
        cpu is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value.Average:0}% / {value.Max:0}%") : "n/a";
}
