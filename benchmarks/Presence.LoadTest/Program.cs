// The Presence load test: N SignalR clients in teams against the demo (started here unless --target).
// Bounded: it stops after the connect phase and --duration, and gives up entirely past its time bound.
using System.Globalization;
using Presence.LoadTest;

LoadTestOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(LoadTestOptions.Usage);
        return 0;
    }

    options = LoadTestOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(LoadTestOptions.Usage);
    return 2;
}

// Connect phase + steady phase + start-up, settling, Redis phase and shutdown allowances.
var bound = options.ConnectTimeout + options.Duration + TimeSpan.FromSeconds(210);
if (options.Compare > 0)
{
    // Each run is usually well under a minute; the bound is for a run that hangs.
    using var comparisonBound = new CancellationTokenSource(bound * 2 * options.Compare);
    var (markdown, errors) = await new E2eComparison(options, Console.Out).RunAsync(comparisonBound.Token);
    Console.WriteLine();
    Console.WriteLine(markdown);
    if (options.Report is { } comparisonReport)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(comparisonReport))!);
        await File.WriteAllTextAsync(comparisonReport, "# " + string.Join(' ', args) + Environment.NewLine + Environment.NewLine + markdown);
        Console.WriteLine("report written to " + comparisonReport);
    }

    Console.WriteLine(errors == 0 ? "OK: no errors." : string.Create(CultureInfo.InvariantCulture, $"FAILED: {errors} errors."));
    return errors == 0 ? 0 : 1;
}

using var overrun = new CancellationTokenSource(bound);
var runner = new LoadTestRunner(options, Console.Out);
var running = runner.RunAsync(overrun.Token);
if (await Task.WhenAny(running, Task.Delay(bound + TimeSpan.FromSeconds(30))) != running)
{
    Console.Error.WriteLine($"The load test overran its bound of {bound.TotalSeconds:0} s and gave up.");
    return 3;
}

LoadTestResult result;
try
{
    result = await running;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine($"The load test overran its bound of {bound.TotalSeconds:0} s and was cancelled.");
    return 3;
}

Console.WriteLine();
result.WriteTable(Console.Out);
if (options.Report is { } report)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(report))!);
    await File.WriteAllTextAsync(report, result.ToMarkdown("Presence.LoadTest " + string.Join(' ', args)));
    Console.WriteLine("report written to " + report);
}

Console.WriteLine(result.TotalErrors == 0 ? "OK: no errors." : string.Create(CultureInfo.InvariantCulture, $"FAILED: {result.TotalErrors} errors."));
return result.TotalErrors == 0 ? 0 : 1;
