namespace Presence;

/// <summary>
/// The presence engine that transports call: it applies connects, disconnects and heartbeats to the
/// <see cref="IPresenceStore"/> and publishes one <see cref="PresenceEvent"/> per transition the
/// store reports. Host apps use it for queries.
/// </summary>
public interface IPresenceTracker
{
    /// <summary>A connection of <paramref name="userId"/> opened. Publishes <see cref="UserOnline"/> when it is the user's first.</summary>
    /// <param name="userId">The authenticated user.</param>
    /// <param name="connectionId">The new connection.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The change to the user's presence.</returns>
    /// <exception cref="ArgumentException">An id is invalid; nothing is stored.</exception>
    ValueTask<PresenceChange> ConnectAsync(string userId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>A connection closed. Publishes <see cref="UserOffline"/> (<see cref="OfflineReason.Disconnected"/>) when it was the user's last.</summary>
    /// <param name="userId">The authenticated user.</param>
    /// <param name="connectionId">The closed connection.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The change to the user's presence.</returns>
    /// <exception cref="ArgumentException">An id is invalid; nothing is changed.</exception>
    ValueTask<PresenceChange> DisconnectAsync(string userId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A heartbeat (<c>presence:ping</c>): extends the connection's lease. An unknown connection is
    /// registered again and, when that brings the user back online, <see cref="UserOnline"/> is published.
    /// </summary>
    /// <param name="userId">The authenticated user.</param>
    /// <param name="connectionId">The pinging connection.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The change to the user's presence.</returns>
    /// <exception cref="ArgumentException">An id is invalid; nothing is changed.</exception>
    ValueTask<PresenceChange> PingAsync(string userId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>Removes expired connections once and publishes <see cref="UserOffline"/> (<see cref="OfflineReason.Expired"/>) for each user who expired.</summary>
    /// <param name="cancellationToken">Cancels the sweep.</param>
    /// <returns>The number of users who expired.</returns>
    /// <remarks>The background sweeper calls this every <see cref="PresenceOptions.SweepInterval"/>; call it yourself only in tests or tools.</remarks>
    ValueTask<int> SweepAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether a user is online.</summary>
    /// <param name="userId">The user to look up.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns><see langword="true"/> when the user has a live connection.</returns>
    ValueTask<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Which of the given users are online, in one store call.</summary>
    /// <param name="userIds">The users to look up.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The online users among them.</returns>
    ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// The online users <paramref name="viewerId"/> may see, as decided by the <see cref="IInterestResolver"/>:
    /// the list a transport sends right after the viewer connects.
    /// </summary>
    /// <param name="viewerId">The viewing user.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The visible online users.</returns>
    ValueTask<IReadOnlyList<string>> GetVisibleOnlineUsersAsync(string viewerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets an online user's status (<c>presence:set-status</c>) and publishes
    /// <see cref="UserStatusChanged"/> when it changed.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="status">The new status (see <see cref="PresenceStatus"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the status changed.</returns>
    /// <exception cref="ArgumentException">The id or the status is invalid; nothing changes.</exception>
    ValueTask<bool> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default);

    /// <summary>Online flag, status, last seen and connection count of the given users, in one store call.</summary>
    /// <param name="userIds">The users to look up.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>One entry per distinct user, in order.</returns>
    ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>When each of the given users was last seen: <see langword="null"/> while online, or when unknown or past retention.</summary>
    /// <param name="userIds">The users to look up.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>A map from each distinct user to their last-seen time.</returns>
    ValueTask<IReadOnlyDictionary<string, DateTimeOffset?>> GetLastSeenAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="GetVisibleOnlineUsersAsync"/>, with each visible online user's status and
    /// connection count: what a transport sends in its bulk-online list.
    /// </summary>
    /// <param name="viewerId">The viewing user.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The visible online users' presence.</returns>
    ValueTask<IReadOnlyList<UserPresence>> GetVisiblePresenceAsync(string viewerId, CancellationToken cancellationToken = default);

    /// <summary>Store-wide counts of online users and connections.</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The counts.</returns>
    ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default);
}
