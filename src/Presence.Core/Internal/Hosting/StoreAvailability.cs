using Microsoft.Extensions.Logging;

namespace Presence.Internal;

/// <summary>
/// Whether the store answered the last time it was asked. An outage is logged once when it starts
/// (the first <see cref="PresenceStoreUnavailableException"/>) and once when it ends (the next success),
/// not once per failed call: during an outage every heartbeat, connect and sweep fails the same way.
/// </summary>
internal sealed class StoreAvailability(ILogger<StoreAvailability> logger)
{
    private int _unavailable;

    /// <summary>Whether the last store call failed with <see cref="PresenceStoreUnavailableException"/>.</summary>
    public bool IsUnavailable => Volatile.Read(ref _unavailable) == 1;

    /// <summary>A store call succeeded: logs the end of an outage, once.</summary>
    public void Succeeded()
    {
        if (Volatile.Read(ref _unavailable) == 1 && Interlocked.Exchange(ref _unavailable, 0) == 1)
        {
            Log.StoreAvailable(logger);
        }
    }

    /// <summary>A store call failed because the store is unavailable: logs the start of an outage, once.</summary>
    public void Failed(string operation, PresenceStoreUnavailableException exception)
    {
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            Log.StoreUnavailable(logger, operation, Describe(exception));
        }
    }

    // The message chain without stack traces: the store client's own error says what is wrong (refused, timeout, auth).
    private static string Describe(Exception exception)
    {
        var text = exception.Message;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            text += " " + inner.Message;
        }

        return text;
    }
}
