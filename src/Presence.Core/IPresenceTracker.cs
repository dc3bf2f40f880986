namespace Presence;

/// <summary>
/// The presence engine that transports call: it applies connects, disconnects and heartbeats to the
/// <see cref="IPresenceStore"/> and publishes one <see cref="PresenceEvent"/> per transition the
/// store reports. Host apps use it for queries.
/// </summary>
/// <remarks>
/// This interface holds the operations; conveniences built on them (<c>IsOnlineAsync</c>,
/// <c>GetLastSeenAsync</c>, <c>GetVisibleOnlineUsersAsync</c>) are extension methods in
/// <see cref="PresenceTrackerExtensions"/>.
/// </remarks>
public interface IPresenceTracker
{
    /// <summary>A connection of <paramref name="userId"/> opened. Publishes <see cref="UserOnline"/> when it is the user's first.</summary>
    /// <param name="userId">The authenticated user.</param>
    /// <param name="connectionId">The new connection.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The store's decision: the change to the user's presence, with its version and time.</returns>
    /// <exception cref="ArgumentException">An id is invalid; nothing is stored.</exception>
    ValueTask<PresenceTransition> ConnectAsync(string userId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>A connection closed. Publishes <see cref="UserOffline"/> (<see cref="OfflineReason.Disconnected"/>) when it was the user's last.</summary>
    /// <param name="userId">The authenticated user.</param>
    /// <param name="connectionId">The closed connection.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The store's decision: the change to the user's presence, with its version and time.</returns>
    /// <exception cref="ArgumentException">An id is invalid; nothing is changed.</exception>
    ValueTask<PresenceTransition> DisconnectAsync(string userId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A heartbeat (<c>presence:ping</c>): extends the connection's lease. An unknown connection is
    /// registered again and, when that brings the user back online, <see cref="UserOnline"/> is published.
    /// </summary>
    /// <param name="userId">The authenticated user.</param>
    /// <param name="connectionId">The pinging connection.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The store's decision: the change to the user's presence, with its version and time.</returns>
    /// <exception cref="ArgumentException">An id is invalid; nothing is changed.</exception>
    ValueTask<PresenceTransition> PingAsync(string userId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>Which of the given users are online, in one store call.</summary>
    /// <param name="userIds">The users to look up.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The online users among them.</returns>
    ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets an online user's status (<c>presence:set-status</c>) and publishes
    /// <see cref="UserStatusChanged"/> when it changed.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="status">The new status (see <see cref="PresenceStatus"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the status changed, or why not (unchanged, or the user is not online), with the version and time of a change.</returns>
    /// <exception cref="ArgumentException">The id or the status is invalid; nothing changes.</exception>
    ValueTask<StatusTransition> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default);

    /// <summary>Online flag, status, last seen and connection count of the given users, in one store call.</summary>
    /// <param name="userIds">The users to look up.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>One entry per distinct user, in order.</returns>
    ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// The online users <paramref name="viewerId"/> may see, as decided by the <see cref="IInterestResolver"/>,
    /// with each one's status, connection count and version: what a transport sends in its bulk-online list.
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
