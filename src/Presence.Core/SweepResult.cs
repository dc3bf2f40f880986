namespace Presence;

/// <summary>The outcome of one call to <see cref="IPresenceStore.SweepExpiredAsync"/>.</summary>
public sealed class SweepResult
{
    /// <summary>A result for a sweep that found nothing expired.</summary>
    public static SweepResult Empty { get; } = new([], 0, hasMore: false);

    /// <summary>Creates a sweep result.</summary>
    /// <param name="expiredUsers">The users whose last connection expired in this sweep, each once.</param>
    /// <param name="removedConnections">The number of expired connections removed.</param>
    /// <param name="hasMore">Whether the sweep stopped at its limit while more expired connections remain.</param>
    public SweepResult(IReadOnlyList<string> expiredUsers, int removedConnections, bool hasMore)
    {
        ArgumentNullException.ThrowIfNull(expiredUsers);
        ArgumentOutOfRangeException.ThrowIfNegative(removedConnections);
        ExpiredUsers = expiredUsers;
        RemovedConnections = removedConnections;
        HasMore = hasMore;
    }

    /// <summary>The users who went offline because their last connection expired, each listed once.</summary>
    public IReadOnlyList<string> ExpiredUsers { get; }

    /// <summary>The number of expired connections this sweep removed.</summary>
    public int RemovedConnections { get; }

    /// <summary><see langword="true"/> when the sweep hit its limit and another call would find more.</summary>
    public bool HasMore { get; }
}
