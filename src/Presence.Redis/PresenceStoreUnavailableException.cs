namespace Presence.Redis;

/// <summary>
/// The Redis presence store could not reach Redis or Redis refused the command (down, restarting,
/// cluster reconfiguring). Nothing is retried or queued: the call failed fast and changed nothing
/// the store knows of. The inner exception is the StackExchange.Redis error.
/// </summary>
public sealed class PresenceStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PresenceStoreUnavailableException()
        : base("The Redis presence store is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public PresenceStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the Redis error.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The StackExchange.Redis error.</param>
    public PresenceStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
