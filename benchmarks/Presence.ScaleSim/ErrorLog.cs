using System.Collections.Concurrent;

namespace Presence.ScaleSim;

/// <summary>Counts errors (failed calls and error logs of live nodes) and log warnings, keeping the first few of each kind.</summary>
internal sealed class ErrorLog
{
    private const int Kept = 10;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _warnings = new();
    private long _errorCount;
    private long _warningCount;

    /// <summary>Gets the number of errors.</summary>
    public long Errors => Volatile.Read(ref _errorCount);

    /// <summary>Gets the number of warnings logged by live nodes.</summary>
    public long Warnings => Volatile.Read(ref _warningCount);

    /// <summary>Gets the first errors.</summary>
    public IReadOnlyCollection<string> FirstErrors => _errors;

    /// <summary>Gets the first warnings.</summary>
    public IReadOnlyCollection<string> FirstWarnings => _warnings;

    /// <summary>Records an error.</summary>
    /// <param name="what">What failed, with the node.</param>
    public void Error(string what)
    {
        var count = Interlocked.Increment(ref _errorCount);
        if (count <= Kept)
        {
            _errors.Enqueue(what);
        }

        if (count <= 3)
        {
            // The first ones at once: a run that goes wrong says why while it runs.
            Console.Error.WriteLine("[scalesim] error: " + what);
        }
    }

    /// <summary>Records a warning.</summary>
    /// <param name="what">The warning, with the node.</param>
    public void Warning(string what)
    {
        if (Interlocked.Increment(ref _warningCount) <= Kept)
        {
            _warnings.Enqueue(what);
        }
    }
}
