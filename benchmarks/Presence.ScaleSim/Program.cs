// The Presence scale simulator: N presence nodes in one process against one Redis (or Redis Cluster,
// or the in-memory store), M connections heartbeating open-loop, an optional node crash. Bounded in
// time, 127.0.0.1 only, stops by itself. See benchmarks/README.md, "Scale simulator".
using System.Runtime.InteropServices;
using Presence.ScaleSim;

SimOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(SimOptions.Usage);
        return 0;
    }

    options = SimOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(SimOptions.Usage);
    return 2;
}

var bound = options.Bound;
using var overrun = new CancellationTokenSource(bound);

// Ctrl+C or SIGTERM cancels the run, so its private Redis is still stopped and its keys removed.
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    overrun.Cancel();
});
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    overrun.Cancel();
};
var run = new SimRun(options, "Presence.ScaleSim " + string.Join(' ', args), Console.Out);
var running = run.RunAsync(overrun.Token);
if (await Task.WhenAny(running, Task.Delay(bound + TimeSpan.FromSeconds(60))) != running)
{
    Console.Error.WriteLine($"The scale simulator overran its bound of {bound.TotalSeconds:0} s and gave up.");
    return 3;
}

SimResult result;
try
{
    result = await running;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine($"The scale simulator was cancelled (SIGTERM, Ctrl+C, or its bound of {bound.TotalSeconds:0} s passed).");
    return 3;
}

var markdown = result.ToMarkdown();
Console.WriteLine();
Console.WriteLine(markdown);
if (options.Report is { } report)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(report))!);
    await File.WriteAllTextAsync(report, markdown);
    Console.WriteLine("report written to " + report);
}

return result.Passed ? 0 : 1;
