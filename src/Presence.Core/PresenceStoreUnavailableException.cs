namespace Presence;

/// <summary>
/// A remote presence store could not be reached or refused the command (Redis down, restarting,
/// a cluster reconfiguring). Nothing is retried or queued: the call failed fast and changed nothing
/// the store knows of. The inner exception is the store client's own error (for the Redis store, the StackExchange.Redis exception).
/// </summary>
public sealed class PresenceStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PresenceStoreUnavailableException()
        : base("The presence store is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public PresenceStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the store client's error.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The store client's error.</param>
    public PresenceStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
