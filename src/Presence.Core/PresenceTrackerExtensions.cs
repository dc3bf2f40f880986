namespace Presence;

/// <summary>Conveniences over <see cref="IPresenceTracker"/>'s operations.</summary>
public static class PresenceTrackerExtensions
{
    /// <summary>Whether a user is online (a live connection, or inside the offline grace period).</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="userId">The user to look up.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns><see langword="true"/> when the user is online.</returns>
    /// <exception cref="ArgumentException">The id is invalid.</exception>
    public static async ValueTask<bool> IsOnlineAsync(this IPresenceTracker tracker, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        PresenceId.ThrowIfInvalid(userId);
        var online = await tracker.GetOnlineAsync([userId], cancellationToken).ConfigureAwait(false);
        return online.Count > 0;
    }

    /// <summary>When each of the given users was last seen: <see langword="null"/> while online, or when unknown or past retention.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="userIds">The users to look up.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>A map from each distinct user to their last-seen time.</returns>
    /// <exception cref="ArgumentException">An id is invalid.</exception>
    public static async ValueTask<IReadOnlyDictionary<string, DateTimeOffset?>> GetLastSeenAsync(
        this IPresenceTracker tracker, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(userIds);
        var presence = await tracker.GetPresenceAsync(userIds, cancellationToken).ConfigureAwait(false);
        var lastSeen = new Dictionary<string, DateTimeOffset?>(presence.Count, StringComparer.Ordinal);
        foreach (var user in presence)
        {
            lastSeen[user.UserId] = user.LastSeen;
        }

        return lastSeen;
    }

    /// <summary>
    /// The ids of the online users <paramref name="viewerId"/> may see, as decided by the
    /// <see cref="IInterestResolver"/> (see <see cref="IPresenceTracker.GetVisiblePresenceAsync"/>).
    /// </summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="viewerId">The viewing user.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The visible online users.</returns>
    /// <exception cref="ArgumentException">The id is invalid.</exception>
    public static async ValueTask<IReadOnlyList<string>> GetVisibleOnlineUsersAsync(
        this IPresenceTracker tracker, string viewerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var presence = await tracker.GetVisiblePresenceAsync(viewerId, cancellationToken).ConfigureAwait(false);
        return [.. presence.Select(static p => p.UserId)];
    }
}
