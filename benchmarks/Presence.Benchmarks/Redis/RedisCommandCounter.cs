using System.Globalization;
using System.Text;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Presence.Benchmarks.Redis;

/// <summary>
/// Counts what a workload costs Redis: the commands the client sent (each one a request and a
/// reply, so round trips when awaited one by one; from StackExchange.Redis profiling) and the
/// commands Redis executed, scripts' inner calls included (the <c>INFO commandstats</c> delta).
/// Printed to the benchmark log, as <c>// commands per op</c> lines.
/// </summary>
internal sealed class RedisCommandCounter
{
    private ProfilingSession? _session;

    public RedisCommandCounter(ConnectionMultiplexer measured) =>
        measured.RegisterProfiler(() => _session);

    public async Task<string> MeasureAsync(RedisBenchmarkServer server, string label, int operations, Func<Task> workload)
    {
        var before = server.CommandStats();
        _session = new ProfilingSession();
        await workload().ConfigureAwait(false);
        var commands = _session.FinishProfiling().ToList();
        _session = null;
        var after = server.CommandStats();

        var sent = commands.GroupBy(c => c.Command).OrderByDescending(g => g.Count())
            .Select(g => $"{(g.Key == "EVAL" ? "EVAL/EVALSHA" : g.Key)} {Per(g.Count(), operations)}");
        var executed = after
            .Select(pair => (pair.Key, Calls: pair.Value - before.GetValueOrDefault(pair.Key)))
            .Where(pair => pair.Calls > 0 && pair.Key is not ("info" or "ping" or "scan" or "client" or "cluster" or "config"))
            .OrderByDescending(pair => pair.Calls)
            .ToList();
        var line = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"// commands per op | {label} | sent (round trips): {Per(commands.Count, operations)} [{string.Join(", ", sent)}]")
            .Append(CultureInfo.InvariantCulture, $" | executed by Redis: {Per(executed.Sum(e => e.Calls), operations)} [{string.Join(", ", executed.Select(e => $"{e.Key} {Per(e.Calls, operations)}"))}]")
            .ToString();
        Console.WriteLine(line);
        return line;
    }

    private static string Per(long count, int operations) => (count / (double)operations).ToString("0.####", CultureInfo.InvariantCulture);
}
