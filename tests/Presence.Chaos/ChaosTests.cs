using System.Diagnostics;
using Presence.Chaos.Checking;
using Presence.Chaos.History;
using Presence.Chaos.Scenario;
using Xunit;
using Xunit.Abstractions;

namespace Presence.Chaos;

/// <summary>
/// The promise under faults: three demo nodes on one redis-server (or, with
/// <c>PRESENCE_CHAOS_REDIS=cluster</c>, a 3-master Redis Cluster), many SignalR clients that also
/// subscribe to users outside their team, and a seeded scheduler that SIGKILLs and SIGSTOPs nodes,
/// pauses, flushes and restarts Redis (empty, or from an RDB snapshot), and slows the links to Redis. The verdict comes from <see cref="HistoryChecker"/> over every
/// recorded history. The seed is printed; <c>PRESENCE_CHAOS_SEED</c> replays it (docs/reliability.md).
/// Every run saves its histories beside the report, as <c>chaos-history-&lt;seed&gt;.json.gz</c> (<see cref="HistoryFile"/>).
/// <c>PRESENCE_CHAOS_HISTORY</c> set to such a file (a path, or a name in the test's output folder) re-checks that run
/// with today's checker instead of running one: no server starts, the report goes to <c>chaos-report-&lt;seed&gt;-recheck.txt</c>
/// and the verdict is the same. <c>PRESENCE_CHAOS_EXAMPLES</c> sets the cases the report prints per violation group (3; <c>all</c>).
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_history_keeps_the_promise_under_node_and_redis_faults()
    {
        var saved = Environment.GetEnvironmentVariable("PRESENCE_CHAOS_HISTORY");
        if (!string.IsNullOrWhiteSpace(saved))
        {
            await RecheckAsync(saved);
            return;
        }

        var options = ChaosOptions.FromEnvironment();
        Log($"[chaos] seed {options.Seed} (replay with PRESENCE_CHAOS_SEED={options.Seed})");
        var budget = options.Duration + ChaosOptions.Quiescence + TimeSpan.FromMinutes(5);
        using var cancellation = new CancellationTokenSource(budget);

        CheckReport report;
        string summary;
        var historyPath = Path.Combine(AppContext.BaseDirectory, $"chaos-history-{options.Seed}.json.gz");
        await using (var scenario = new ChaosScenario(options, Log))
        {
            ChaosRun run;
            try
            {
                run = await scenario.RunAsync(cancellation.Token);
            }
            catch (Exception)
            {
                output.WriteLine(scenario.NodeOutputs());
                throw;
            }

            await SaveHistoryAsync(run, historyPath, cancellation.Token);
            report = new HistoryChecker(run).Check();
            summary = report.ToString();
            var path = Path.Combine(AppContext.BaseDirectory, $"chaos-report-{options.Seed}.txt");
            await File.WriteAllTextAsync(path, summary + "\n" + scenario.NodeOutputs());
            Log($"[chaos] full report and node logs: {path}");
        }

        Verdict(report, summary, $"replay with PRESENCE_CHAOS_SEED={options.Seed}, or re-check this run with PRESENCE_CHAOS_HISTORY={historyPath}");
    }

    /// <summary>Judges a saved run again, on its own time line (<see cref="RunClock.WithStart{T}"/>).</summary>
    private async Task RecheckAsync(string saved)
    {
        var path = File.Exists(saved) ? Path.GetFullPath(saved) : Path.Combine(AppContext.BaseDirectory, saved);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"PRESENCE_CHAOS_HISTORY is '{saved}': no such file here ({Environment.CurrentDirectory}) or in {AppContext.BaseDirectory}.", saved);
        }

        var started = Stopwatch.GetTimestamp();
        var run = await HistoryFile.LoadAsync(path);
        Log($"[chaos] re-checking the saved history {path} (PRESENCE_CHAOS_HISTORY): seed {run.Options.Seed}, recorded {run.StartUtc:yyyy-MM-dd HH:mm} UTC, "
            + $"{run.Sessions.Count} connections, loaded in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s; no servers started");
        var (report, summary) = RunClock.WithStart(run.StartUtc, () =>
        {
            var checkedRun = new HistoryChecker(run).Check();
            return (checkedRun, checkedRun.ToString());
        });
        var reportPath = Path.Combine(AppContext.BaseDirectory, $"chaos-report-{run.Options.Seed}-recheck.txt");
        await File.WriteAllTextAsync(reportPath, $"[chaos] re-checked the saved history {path}\n{summary}");
        Log($"[chaos] re-checked a saved history (no scenario ran); full report: {reportPath}");
        Verdict(report, summary, $"re-check with PRESENCE_CHAOS_HISTORY={path}, or replay with PRESENCE_CHAOS_SEED={run.Options.Seed}");
    }

    private async Task SaveHistoryAsync(ChaosRun run, string path, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await HistoryFile.SaveAsync(run, path, cancellationToken);
            Log($"[chaos] histories saved to {path} ({new FileInfo(path).Length / 1e6:0.0} MB in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s): "
                + $"re-check them with PRESENCE_CHAOS_HISTORY={path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The verdict matters more than the copy: say so and go on.
            Log($"[chaos] could not save the histories to {path}: {e.Message}");
        }
    }

    private void Verdict(CheckReport report, string summary, string again)
    {
        Log(summary);
        // Fails on new defects only. Violations of the OPEN DEFECTS D1-D5 (HistoryChecker.OpenDefectPrefix) are
        // reported above and listed in docs/reliability.md "Settling and resync: the open defects, from thousands to tens"; remove a label there when its fix lands.
        Assert.True(report.Defects.Count == 0, $"{report.Defects.Count} defects found; {again}.\n{summary}");
    }

    private void Log(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
