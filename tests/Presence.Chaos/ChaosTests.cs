using Presence.Chaos.Checking;
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
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_history_keeps_the_promise_under_node_and_redis_faults()
    {
        var options = ChaosOptions.FromEnvironment();
        output.WriteLine($"[chaos] seed {options.Seed} (replay with PRESENCE_CHAOS_SEED={options.Seed})");
        Console.WriteLine($"[chaos] seed {options.Seed} (replay with PRESENCE_CHAOS_SEED={options.Seed})");
        var budget = options.Duration + ChaosOptions.Quiescence + TimeSpan.FromMinutes(5);
        using var cancellation = new CancellationTokenSource(budget);

        CheckReport report;
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

            report = new HistoryChecker(run).Check();
            var path = Path.Combine(AppContext.BaseDirectory, $"chaos-report-{options.Seed}.txt");
            await File.WriteAllTextAsync(path, report + "\n" + scenario.NodeOutputs());
            Log($"[chaos] full report and node logs: {path}");
        }

        var summary = report.ToString();
        output.WriteLine(summary);
        Console.WriteLine(summary);
        // Fails on new defects only. Violations of the OPEN DEFECTS D1-D5 (HistoryChecker.OpenDefectPrefix) are
        // reported above and listed in docs/reliability.md "Open defects"; remove a label there when its fix lands.
        Assert.True(report.Defects.Count == 0, $"{report.Defects.Count} defects found; replay with PRESENCE_CHAOS_SEED={options.Seed}.\n{summary}");
    }

    private void Log(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
