namespace Presence;

/// <summary>The outcome of one call to <see cref="IPresenceStore.SweepExpiredAsync"/>.</summary>
public sealed class SweepResult
{
    /// <summary>A result for a sweep that found nothing to do.</summary>
    public static SweepResult Empty { get; } = new([], 0, hasMore: false);

    /// <summary>Creates a sweep result.</summary>
    /// <param name="users">The users this sweep took offline, each once, with the reason and the real time they went offline.</param>
    /// <param name="removedConnections">The number of expired connections removed.</param>
    /// <param name="hasMore">Whether the sweep stopped at its limit while more work remains.</param>
    public SweepResult(IReadOnlyList<SweptUser> users, int removedConnections, bool hasMore)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentOutOfRangeException.ThrowIfNegative(removedConnections);
        Users = users;
        RemovedConnections = removedConnections;
        HasMore = hasMore;
    }

    /// <summary>
    /// The users who went offline in this sweep, each listed once: those whose last connection expired
    /// (<see cref="OfflineReason.Expired"/>) and those whose offline grace period ended (<see cref="OfflineReason.Disconnected"/>).
    /// </summary>
    public IReadOnlyList<SweptUser> Users { get; }

    /// <summary>The ids of <see cref="Users"/>, in the same order.</summary>
    public IReadOnlyList<string> UserIds => [.. Users.Select(static u => u.UserId)];

    /// <summary>The number of expired connections this sweep removed.</summary>
    public int RemovedConnections { get; }

    /// <summary><see langword="true"/> when the sweep hit its limit and another call would find more.</summary>
    public bool HasMore { get; }
}
