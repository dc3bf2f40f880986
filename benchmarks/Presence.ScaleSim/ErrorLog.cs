using System.Collections.Concurrent;

namespace Presence.ScaleSim;

/// <summary>
/// Counts a live node's failed calls (connects, heartbeats), its error log entries (a failed sweep,
/// say; a failed call is logged by the tracker as well, so the two are kept apart) and its warnings,
/// keeping the first few of each kind.
/// </summary>
internal sealed class ErrorLog
{
    private const int Kept = 10;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _warnings = new();
    private long _errorCount;
    private long _loggedErrorCount;
    private long _warningCount;

    /// <summary>Gets the number of failed calls, plus error log entries when no call failed (a failing sweep).</summary>
    public long Errors => Volatile.Read(ref _errorCount) + (Volatile.Read(ref _errorCount) == 0 ? LoggedErrors : 0);

    /// <summary>Gets the number of failed calls.</summary>
    public long FailedCalls => Volatile.Read(ref _errorCount);

    /// <summary>Gets the number of error log entries (a failed call is one too).</summary>
    public long LoggedErrors => Volatile.Read(ref _loggedErrorCount);

    /// <summary>Gets the number of warnings logged by live nodes.</summary>
    public long Warnings => Volatile.Read(ref _warningCount);

    /// <summary>Gets the first errors.</summary>
    public IReadOnlyCollection<string> FirstErrors => _errors;

    /// <summary>Gets the first warnings.</summary>
    public IReadOnlyCollection<string> FirstWarnings => _warnings;

    /// <summary>Records an error log entry.</summary>
    /// <param name="what">The entry, with the node.</param>
    public void LoggedError(string what)
    {
        if (Interlocked.Increment(ref _loggedErrorCount) == 1 && Volatile.Read(ref _errorCount) == 0)
        {
            Console.Error.WriteLine("[scalesim] error logged: " + what);
        }

        if (Volatile.Read(ref _loggedErrorCount) <= Kept)
        {
            _errors.Enqueue(what);
        }
    }

    /// <summary>Records a failed call.</summary>
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
