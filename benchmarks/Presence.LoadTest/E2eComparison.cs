using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Presence.LoadTest;

/// <summary>
/// The end-to-end comparison (<c>--compare N</c>): the demo on Redis and the naive Redis peer, each
/// started fresh with its own private redis-server, alternating (demo, peer, demo, peer, ...) so drift
/// in the machine's load hits both; the report gives every run, the medians and the ratios ours / peer.
/// </summary>
internal sealed class E2eComparison(LoadTestOptions options, TextWriter log)
{
    private static readonly string[] Targets = ["demo", "peer"];

    public async Task<(string Markdown, int Errors)> RunAsync(CancellationToken cancellationToken)
    {
        var figures = Targets.ToDictionary(t => t, _ => new List<E2eFigures>(), StringComparer.Ordinal);
        var loadBefore = LoadAverage();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < options.Compare; i++)
        {
            foreach (var target in Targets)
            {
                log.WriteLine($"--- run {i + 1}/{options.Compare}: {target}");
                var result = await new LoadTestRunner(options.ForServer(target), log).RunAsync(cancellationToken).ConfigureAwait(false);
                var figure = result.Figures();
                figures[target].Add(figure);
                foreach (var sample in result.Run.ErrorSamples)
                {
                    log.WriteLine("  error: " + sample);
                }

                log.WriteLine(string.Join("; ", figure.Values().Select(v => $"{v.Name.Trim()} {E2eFigures.Format(v.Value, v.Format)}")) + $"; errors {figure.Errors}");
                log.WriteLine("  " + string.Join("; ", result.Rows().Where(r => r.Metric is "errors" or "connect rate").Select(r => $"{r.Metric}: {r.Value}")));
            }
        }

        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"End to end, demo on Redis vs the naive Redis peer: {options.Clients:N0} WebSocket clients in {options.Teams} teams, {options.Duration.TotalSeconds:0} s of pings every {options.PingInterval.TotalMilliseconds:0} ms, {options.RedisUsers} users in one team for the Redis counts; {options.Compare} alternating runs of each, medians.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average before / after {loadBefore} / {LoadAverage()}, {watch.Elapsed.TotalMinutes:0.0} min.")
            .AppendLine()
            .AppendLine("| metric | demo (median) | peer (median) | ours / peer |")
            .AppendLine("| --- | ---: | ---: | ---: |");
        var names = figures["demo"][0].Values();
        for (var m = 0; m < names.Count; m++)
        {
            var ours = Median(figures["demo"].Select(f => f.Values()[m].Value));
            var peer = Median(figures["peer"].Select(f => f.Values()[m].Value));
            var ratio = peer > 0 ? ours / peer : double.NaN;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {names[m].Name} | {E2eFigures.Format(ours, names[m].Format)} | {E2eFigures.Format(peer, names[m].Format)} | {E2eFigures.Format(ratio, "0.00")}x |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| errors (all runs) | {figures["demo"].Sum(f => f.Errors)} | {figures["peer"].Sum(f => f.Errors)} | |")
            .AppendLine()
            .AppendLine("Every run:")
            .AppendLine()
            .AppendLine("| run | " + string.Join(" | ", names.Select(n => n.Name.Trim())) + " | errors |")
            .AppendLine("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", names.Count + 1)));
        for (var i = 0; i < options.Compare; i++)
        {
            foreach (var target in Targets)
            {
                var f = figures[target][i];
                var cells = string.Join(" | ", f.Values().Select(v => E2eFigures.Format(v.Value, v.Format)));
                text.AppendLine(CultureInfo.InvariantCulture, $"| {target} {i + 1} | {cells} | {f.Errors} |");
            }
        }

        text.AppendLine()
            .AppendLine("Redis commands in the join window, per join (MONITOR, client commands by name, the pings made meanwhile included):")
            .AppendLine();
        foreach (var target in Targets)
        {
            var mix = figures[target][^1].JoinCommandMix;
            text.AppendLine(CultureInfo.InvariantCulture, $"- {target}: {mix}");
        }

        return (text.ToString(), figures.Values.Sum(list => list.Sum(f => f.Errors)));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
