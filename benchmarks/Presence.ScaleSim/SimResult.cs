using System.Globalization;
using System.Text;

namespace Presence.ScaleSim;

/// <summary>Every figure of one run, and the verdict.</summary>
internal sealed class SimResult
{
    /// <summary>Gets the command line.</summary>
    public required string Command { get; init; }

    /// <summary>Gets the options.</summary>
    public required SimOptions Options { get; init; }

    /// <summary>Gets the run's start (UTC).</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>Gets the Redis the run used ("in-memory" in memory mode).</summary>
    public required string Target { get; init; }

    /// <summary>Gets the load average at the start.</summary>
    public required string LoadBefore { get; init; }

    /// <summary>Gets the load average at the end.</summary>
    public required string LoadAfter { get; init; }

    /// <summary>Gets how many connections opened.</summary>
    public required long Connected { get; init; }

    /// <summary>Gets the ramp's wall time, seconds.</summary>
    public required double RampSeconds { get; init; }

    /// <summary>Gets connect latency.</summary>
    public required LatencyHistogram ConnectLatency { get; init; }

    /// <summary>Gets the node process's CPU during the ramp, seconds.</summary>
    public required double RampProcessCpuSeconds { get; init; }

    /// <summary>Gets the steady phase's wall time, seconds.</summary>
    public required double SteadySeconds { get; init; }

    /// <summary>Gets the node process's CPU over the steady phase divided by its wall time (cores).</summary>
    public required double SteadyProcessCpuShare { get; init; }

    /// <summary>Gets the process's working set after the ramp, bytes.</summary>
    public required long WorkingSetAfterRamp { get; init; }

    /// <summary>Gets the managed heap after the ramp, bytes.</summary>
    public required long ManagedHeapAfterRamp { get; init; }

    /// <summary>Gets the heartbeat figures per phase.</summary>
    public required SimState State { get; init; }

    /// <summary>Gets each Redis server's figures (empty in memory mode).</summary>
    public required IReadOnlyList<RedisServerFigures> Redis { get; init; }

    /// <summary>Gets the crash figures, when a node was crashed.</summary>
    public CrashFigures? Crash { get; init; }

    /// <summary>Gets the heartbeats completed in the steady phase.</summary>
    public long SteadyHeartbeats => State.Figures(SimPhase.Steady).Heartbeats;

    /// <summary>Gets the false expiries (and false disconnects) of the whole run.</summary>
    public long FalseOfflines => State.Events.FalseExpired + State.Events.FalseDisconnected;

    /// <summary>Gets a value indicating whether the run is clean: no false expiries, no errors, every crashed user announced exactly once.</summary>
    public bool Passed =>
        FalseOfflines == 0 && State.Errors.FailedCalls == 0 && State.Errors.LoggedErrors == 0 && Connected == Options.Connections
        && (Crash is null || (Crash.Duplicates == 0 && Crash.Misses == 0 && Crash.OnlineAgain == 0));

    /// <summary>The verdict line.</summary>
    /// <returns>"OK ..." or "FAILED: ...".</returns>
    public string Verdict()
    {
        if (Passed)
        {
            return "OK: no false expiries, no errors" + (Crash is null ? "." : ", every user of the crashed node announced offline exactly once.");
        }

        var reasons = new List<string>();
        if (FalseOfflines > 0)
        {
            reasons.Add(Invariant($"{FalseOfflines} false expiries ({State.Events.FalseUsers} live users announced offline)"));
        }

        if (State.Errors.FailedCalls > 0 || State.Errors.LoggedErrors > 0)
        {
            reasons.Add(Invariant($"errors: {State.Errors.FailedCalls} failed calls, {State.Errors.LoggedErrors} error log entries"));
        }

        if (Connected != Options.Connections)
        {
            reasons.Add(Invariant($"only {Connected} of {Options.Connections} connections opened"));
        }

        if (Crash is { } crash)
        {
            if (crash.Duplicates > 0)
            {
                reasons.Add(Invariant($"{crash.Duplicates} duplicate offline announcements of the crashed node's users"));
            }

            if (crash.Misses > 0)
            {
                reasons.Add(Invariant($"{crash.Misses} of the crashed node's users never announced offline"));
            }

            if (crash.OnlineAgain > 0)
            {
                reasons.Add(Invariant($"{crash.OnlineAgain} of the crashed node's users announced online again"));
            }
        }

        return "FAILED: " + string.Join("; ", reasons) + ".";
    }

    /// <summary>The report as markdown: a table of figures, then errors and warnings.</summary>
    /// <returns>The markdown.</returns>
    public string ToMarkdown()
    {
        var o = Options;
        var steady = State.Figures(SimPhase.Steady);
        var ramp = State.Figures(SimPhase.Ramp);
        var crashPhase = State.Figures(SimPhase.Crash);
        var text = new StringBuilder();
        text.AppendLine("# Presence scale simulator");
        text.AppendLine();
        text.AppendLine(Invariant($"`{Command}`"));
        text.AppendLine();
        text.AppendLine(Invariant($"{Started:yyyy-MM-dd HH:mm} UTC; {MachineInfo.CpuModel()}, {Environment.ProcessorCount} cores, {MachineInfo.MemoryGiB():0.#} GiB; load average {LoadBefore} before, {LoadAfter} after; .NET {Environment.Version}."));
        text.AppendLine(Invariant($"Store: {Target}; {o.Nodes} nodes; {o.Connections:N0} connections (one user each); heartbeat {Seconds(o.Heartbeat)}, TTL {Seconds(o.Ttl)}, sweep {Seconds(o.Sweep)}; steady phase {Seconds(o.Duration)}; up to {o.MaxInFlight:N0} heartbeats in flight per node."));
        text.AppendLine();
        text.AppendLine("| figure | value |");
        text.AppendLine("| --- | ---: |");
        Row(text, "connections opened", Invariant($"{Connected:N0} of {o.Connections:N0}"));
        Row(text, "connect rate (ramp)", Invariant($"{Connected / Math.Max(RampSeconds, 1e-9):N0}/s ({RampSeconds:0.0} s)"));
        Row(text, "connect latency p50 / p99 / max", Ms(ConnectLatency.PercentileMs(0.5), ConnectLatency.PercentileMs(0.99), ConnectLatency.MaxMs));
        Row(text, "heartbeat rate held (steady) / target", Invariant($"{steady.Heartbeats / Math.Max(SteadySeconds, 1e-9):N0}/s / {o.Connections / o.Heartbeat.TotalSeconds:N0}/s"));
        Row(text, "heartbeats completed (ramp / steady / crash phase)", Invariant($"{ramp.Heartbeats:N0} / {steady.Heartbeats:N0} / {crashPhase.Heartbeats:N0}"));
        Row(text, "heartbeat lateness p50 / p99 / max (steady)", Ms(steady.Lateness.PercentileMs(0.5), steady.Lateness.PercentileMs(0.99), steady.Lateness.MaxMs));
        Row(text, "heartbeat lateness p50 / p99 / max (ramp)", Ms(ramp.Lateness.PercentileMs(0.5), ramp.Lateness.PercentileMs(0.99), ramp.Lateness.MaxMs));
        if (Crash is not null)
        {
            Row(text, "heartbeat lateness p50 / p99 / max (crash phase, survivors)", Ms(crashPhase.Lateness.PercentileMs(0.5), crashPhase.Lateness.PercentileMs(0.99), crashPhase.Lateness.MaxMs));
        }

        Row(text, "**false expiries** (offline events for live, pinging users; must be 0)", Invariant($"**{State.Events.FalseExpired:N0}** expired + {State.Events.FalseDisconnected:N0} disconnected, {State.Events.FalseUsers:N0} users"));
        Row(text, "re-registrations (heartbeat found its connection gone: came online)", Invariant($"{ramp.ReRegistrations + steady.ReRegistrations + crashPhase.ReRegistrations:N0}"));
        Row(text, "online events received (expected: one per connection)", Invariant($"{State.Events.Online:N0}"));
        if (Redis.Count > 0)
        {
            var share = Redis.Sum(static r => r.SteadyCpuShare);
            var commands = Redis.Sum(static r => r.SteadyCommands);
            var memory = Redis.Sum(static r => r.MemoryAddedByRamp);
            var rampCpu = Redis.Sum(static r => r.RampCpuSeconds);
            Row(text, "Redis CPU share (steady, cores)", Invariant($"{share:0.000}") + (Redis.Count > 1 ? " (" + string.Join(" + ", Redis.Select(static r => Invariant($"{r.SteadyCpuShare:0.000}"))) + ")" : ""));
            Row(text, "Redis CPU per heartbeat (steady)", Invariant($"{share * SteadySeconds / Math.Max(steady.Heartbeats, 1) * 1e6:0.00} µs"));
            Row(text, "Redis commands per heartbeat (steady, incl. sweeps)", Invariant($"{(double)commands / Math.Max(steady.Heartbeats, 1):0.000} ({commands:N0} commands)"));
            Row(text, "Redis top commands per heartbeat (steady)", TopCommands(steady.Heartbeats));
            Row(text, "Redis memory per connection (used_memory delta over the ramp)", Invariant($"{(double)memory / Math.Max(Connected, 1):0} B ({memory / 1048576.0:0.0} MiB)") + (Redis.Count > 1 ? " (" + string.Join(" + ", Redis.Select(static r => Invariant($"{r.MemoryAddedByRamp / 1048576.0:0.0}"))) + " MiB)" : ""));
            Row(text, "Redis CPU per connect (ramp)", Invariant($"{rampCpu / Math.Max(Connected, 1) * 1e6:0.0} µs"));
        }

        Row(text, "node process CPU (steady, cores; all nodes + the load generator)", Invariant($"{SteadyProcessCpuShare:0.000}"));
        Row(text, "node process CPU per heartbeat (steady)", Invariant($"{SteadyProcessCpuShare * SteadySeconds / Math.Max(steady.Heartbeats, 1) * 1e6:0.00} µs"));
        Row(text, "node process CPU per connect (ramp)", Invariant($"{RampProcessCpuSeconds / Math.Max(Connected, 1) * 1e6:0.0} µs"));
        Row(text, "node process working set / managed heap after the ramp", Invariant($"{WorkingSetAfterRamp / 1048576.0:N0} MiB / {ManagedHeapAfterRamp / 1048576.0:N0} MiB"));
        Row(text, "errors: failed calls / error log entries / warnings logged", Invariant($"{State.Errors.FailedCalls:N0} / {State.Errors.LoggedErrors:N0} / {State.Errors.Warnings:N0}"));
        if (Crash is { } crash)
        {
            Row(text, "crash: connections of the crashed node", Invariant($"{crash.Expected:N0}"));
            Row(text, "crash: users announced offline (at least once)", Invariant($"{crash.Announced:N0}"));
            Row(text, "**crash: duplicates / misses / announced online again**", Invariant($"**{crash.Duplicates:N0} / {crash.Misses:N0} / {crash.OnlineAgain:N0}**"));
            Row(text, "crash: first / last offline after the crash", crash.Announced == 0 ? "none" : Invariant($"{crash.FirstSeconds:0.00} s / {crash.LastSeconds:0.00} s"));
            Row(text, "**crash: spread first to last** (target ≤ 2 s)", crash.Announced == 0 ? "none" : Invariant($"**{crash.LastSeconds - crash.FirstSeconds:0.00} s**"));
            Row(text, "crash: last within TTL + sweep + 1 s", crash.Announced == 0 ? "no" : Invariant($"{(crash.LastSeconds <= o.Ttl.TotalSeconds + o.Sweep.TotalSeconds + 1 ? "yes" : "no")} (bound {o.Ttl.TotalSeconds + o.Sweep.TotalSeconds + 1:0.#} s)"));
        }

        text.AppendLine();
        text.AppendLine(Verdict());
        AppendList(text, "Errors (first ones)", State.Errors.FirstErrors);
        AppendList(text, "Warnings (first ones)", State.Errors.FirstWarnings);
        return text.ToString();
    }

    private string TopCommands(long heartbeats)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var server in Redis)
        {
            foreach (var (name, calls) in server.SteadyCommandCalls)
            {
                totals[name] = totals.GetValueOrDefault(name) + calls;
            }
        }

        return string.Join(", ", totals.Where(static t => t.Value > 0).OrderByDescending(static t => t.Value).Take(5)
            .Select(t => Invariant($"{t.Key} {(double)t.Value / Math.Max(heartbeats, 1):0.0000}")));
    }

    private static void AppendList(StringBuilder text, string title, IReadOnlyCollection<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine(title + ":");
        foreach (var line in lines)
        {
            text.AppendLine("- " + line.ReplaceLineEndings(" "));
        }
    }

    private static void Row(StringBuilder text, string name, string value) => text.AppendLine(Invariant($"| {name} | {value} |"));

    private static string Ms(double p50, double p99, double max) => Invariant($"{p50:0.0} / {p99:0.0} / {max:0.0} ms");

    private static string Seconds(TimeSpan span) => Invariant($"{span.TotalSeconds:0.###} s");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
