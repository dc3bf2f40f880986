using System.Globalization;
using System.Text;
using Presence.Chaos.History;
using Presence.Chaos.Scenario;

namespace Presence.Chaos.Checking;

/// <summary>What the checker looked at and what it found; <see cref="ToString"/> is the run's report.</summary>
internal sealed class CheckReport(ChaosRun run, int histories, long events, long bulkEntries, long dropped, int decided, IReadOnlyList<Violation> violations)
{
    public ChaosRun Run { get; } = run;

    /// <summary>Watcher histories checked: connections that registered.</summary>
    public int Histories { get; } = histories;

    /// <summary>Messages received and checked (online, offline, status, bulk-online).</summary>
    public long Events { get; } = events;

    public long BulkEntries { get; } = bulkEntries;

    /// <summary>Events the version rule dropped as not newer than what the watcher knew.</summary>
    public long Dropped { get; } = dropped;

    /// <summary>Distinct (user, version) transitions heard by some watcher.</summary>
    public int Decided { get; } = decided;

    public IReadOnlyList<Violation> Violations { get; } = violations;

    /// <summary>Violations no documented limit and no listed open defect explains: the suite fails on these.</summary>
    public IReadOnlyList<Violation> Defects => [.. Violations.Where(static v => v.IsDefect)];

    /// <summary>Violations of an open defect listed in docs/reliability.md.</summary>
    public IReadOnlyList<Violation> OpenDefects => [.. Violations.Where(static v => v.KnownLimit?.StartsWith(HistoryChecker.OpenDefectPrefix, StringComparison.Ordinal) == true)];

    /// <summary>The cases a group of new defects prints at the least.</summary>
    public const int DefectExamples = 20;

    /// <summary>
    /// The cases printed for each violation group: <c>PRESENCE_CHAOS_EXAMPLES</c> (an integer; <c>all</c> or 0 for
    /// every case; 3 when unset). A group of new defects prints at least <see cref="DefectExamples"/>.
    /// </summary>
    public static int ExamplesFromEnvironment() => ParseExamples(Environment.GetEnvironmentVariable("PRESENCE_CHAOS_EXAMPLES"));

    /// <summary><see cref="ExamplesFromEnvironment"/> for the variable's text: a count, 0 meaning every case.</summary>
    public static int ParseExamples(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => 3,
        "all" => 0,
        var n when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var count) => count,
        _ => throw new ArgumentException($"PRESENCE_CHAOS_EXAMPLES is '{text}': use a number of cases per violation group, or 'all'."),
    };

    /// <summary>The report with <see cref="ExamplesFromEnvironment"/> cases per violation group.</summary>
    public override string ToString() => ToString(ExamplesFromEnvironment());

    /// <summary>The report with <paramref name="examples"/> cases per violation group (0: every case).</summary>
    public string ToString(int examples)
    {
        var text = new StringBuilder();
        var options = Run.Options;
        text.AppendLine($"[chaos] {options}");
        text.AppendLine($"[chaos] wall time {Run.Elapsed.TotalSeconds:0} s; machine {Environment.ProcessorCount} cores, {Environment.OSVersion}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine($"[chaos] faults injected: {Run.Faults.Count} ({string.Join(", ", Enum.GetValues<FaultKind>().Select(k => $"{k} {Run.Faults.Count(f => f.Kind == k)}"))})");
        var sessions = Run.Sessions;
        text.AppendLine($"[chaos] connections opened: {sessions.Count}; registered (watcher histories checked): {Histories}; "
            + $"closed with a ping in flight: {sessions.Count(static s => s.CloseCause == "closed with a ping in flight")}; gone silent: {sessions.Count(static s => !double.IsNaN(s.SilentAt))}; "
            + $"lost (node killed or refused): {sessions.Count(static s => s.CloseCause?.StartsWith("lost", StringComparison.Ordinal) == true)}; statuses set: {sessions.Sum(static s => s.StatusesSet)}; "
            + $"subscribes/unsubscribes: {sessions.Sum(static s => s.Subscribes)}/{sessions.Sum(static s => s.Unsubscribes)}; "
            + $"pings ok/failed: {sessions.Sum(static s => s.PingsOk)}/{sessions.Sum(static s => s.PingsFailed)}");
        var resyncs = Run.Sessions.Sum(static s => Math.Max(0, s.Events.Count(static e => e.Kind == EventKind.BulkOnline) - 1));
        text.AppendLine($"[chaos] events checked: {Events} (bulk-online entries {BulkEntries}; dropped by the version rule {Dropped}; resyncs received {resyncs}); distinct transitions {Decided}; store samples {Run.StoreSamples.Count}");
        text.AppendLine($"[chaos] violations: {Violations.Count}: {Defects.Count} new defects, {OpenDefects.Count} of open defects listed in docs/reliability.md, "
            + $"{Violations.Count - Defects.Count - OpenDefects.Count} explained by documented limits");
        foreach (var group in Violations.GroupBy(static v => (v.Property, v.KnownLimit)).OrderBy(static g => g.Key.KnownLimit is not null))
        {
            text.AppendLine($"[chaos]   {group.Count()} × {group.Key.Property}{(group.Key.KnownLimit is null ? " — NEW DEFECT" : " — " + group.Key.KnownLimit)}");
        }

        foreach (var group in Violations.GroupBy(static v => (v.Property, v.KnownLimit)).OrderBy(static g => g.Key.KnownLimit is not null))
        {
            foreach (var v in group.Take(examples <= 0 ? int.MaxValue : group.Key.KnownLimit is null ? Math.Max(DefectExamples, examples) : examples))
            {
                text.AppendLine($"--- {(v.IsDefect ? "NEW DEFECT" : v.KnownLimit!.StartsWith(HistoryChecker.OpenDefectPrefix, StringComparison.Ordinal) ? "open defect" : "known limit")}: {v.Property}: {v.Summary}");
                text.Append(v.Excerpt);
            }
        }

        return text.ToString();
    }
}
