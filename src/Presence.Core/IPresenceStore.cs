namespace Presence;

/// <summary>
/// The source of truth for which connections are alive. Every operation that can change a user's
/// presence decides that change atomically and reports it, so callers never read-then-write.
/// </summary>
/// <remarks>
/// <para>
/// A connection registered or refreshed at time <c>t</c> is alive until <c>t + ConnectionTtl</c>
/// and expired from that instant on. A user is online while at least one connection is alive.
/// </para>
/// <para>
/// Every change of a user's presence (online, offline, status) gets a new per-user version, strictly
/// greater than the user's previous one and never below the store clock's microseconds (see
/// <see cref="PresenceVersion.Next"/>), and is stamped with the store's clock at the decision, so events
/// decided on different nodes order correctly.
/// </para>
/// <para>
/// Implementations must be thread-safe, validate ids with <see cref="PresenceId.ThrowIfInvalid"/>
/// (throwing before any state changes), and pass the specification suite in the
/// <c>Presence.Testing</c> package (<c>PresenceStoreConformanceTests</c>). A remote store that cannot
/// reach its server throws <see cref="PresenceStoreUnavailableException"/>.
/// </para>
/// </remarks>
public interface IPresenceStore
{
    /// <summary>
    /// Registers a live connection for a user, or refreshes its lease when it is already registered.
    /// </summary>
    /// <param name="userId">The user who owns the connection.</param>
    /// <param name="connectionId">The connection's id, unique across the application.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A <see cref="PresenceChange.CameOnline"/> transition, with the user's new version and the store's time, when this was the user's first live connection.</returns>
    /// <exception cref="ArgumentException">An id is invalid, or the connection is registered to another user.</exception>
    ValueTask<PresenceTransition> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a connection. Removing a connection that is not registered (already expired, or never
    /// added) changes nothing and returns <see cref="PresenceChange.None"/>, so a late disconnect is harmless.
    /// With a positive <see cref="PresenceOptions.OfflineGracePeriod"/>, removing the last connection
    /// returns <see cref="PresenceChange.None"/>: the user stays online until the grace period ends
    /// (then a sweep reports it, reason <see cref="OfflineReason.Disconnected"/>, stamped with this
    /// removal's time) or a new connection arrives (then nothing is reported at all).
    /// </summary>
    /// <param name="userId">The user who owns the connection.</param>
    /// <param name="connectionId">The connection's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A <see cref="PresenceChange.WentOffline"/> transition, with the user's new version and the store's time, when this was the user's last live connection.</returns>
    /// <exception cref="ArgumentException">An id is invalid, or the connection is registered to another user.</exception>
    ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends a connection's lease (a heartbeat). An unknown connection — lost by the store or
    /// expired during a pause — is registered again, which may bring the user back online.
    /// </summary>
    /// <param name="userId">The user who owns the connection.</param>
    /// <param name="connectionId">The connection's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A <see cref="PresenceChange.CameOnline"/> transition when re-registering brought the user back online.</returns>
    /// <exception cref="ArgumentException">An id is invalid, or the connection is registered to another user.</exception>
    ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes up to <paramref name="maxConnections"/> expired connections (and ended grace periods)
    /// and reports the users who went offline because of it, with the time each really went offline:
    /// the end of the last lease, or the disconnect that started the grace period. Each such user is
    /// reported by exactly one sweep, even when several nodes sweep at once. The cost is proportional
    /// to what expired, not to what is online. Also forgets last-seen times older than
    /// <see cref="PresenceOptions.LastSeenRetention"/>.
    /// </summary>
    /// <param name="maxConnections">The most connections (or grace periods) to process in this call; at least 1.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The users who expired, and whether more expired connections remain.</returns>
    ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default);

    /// <summary>Which of the given users are online, in one call.</summary>
    /// <param name="userIds">The users to look up. Duplicates are reported once.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The online users among <paramref name="userIds"/>, in their first order of appearance.</returns>
    ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>All online users. Meant for small apps and diagnostics: its cost grows with the number online.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Every online user, once each, in no particular order.</returns>
    ValueTask<IReadOnlyList<string>> GetAllOnlineAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the status of an online user (one with a live connection). Statuses live as long as the
    /// user stays online (a reconnect within the grace period keeps it) and are cleared when the user
    /// goes offline. A user with no status set counts as <see cref="PresenceStatus.Available"/>.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="status">The new status (see <see cref="PresenceStatus"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// <see cref="StatusChange.Changed"/> with the user's new version and the store's time;
    /// <see cref="StatusChange.Unchanged"/> when the user already had that status;
    /// <see cref="StatusChange.NotOnline"/> when the user has no live connection.
    /// </returns>
    /// <exception cref="ArgumentException">The id or the status is invalid; nothing changes.</exception>
    ValueTask<StatusTransition> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default);

    /// <summary>
    /// Everything known about the given users — online flag, status, last seen, connection count and
    /// version — in one call (one round trip for a remote store).
    /// </summary>
    /// <param name="userIds">The users to look up. Duplicates are reported once.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One entry per distinct user, in their first order of appearance.</returns>
    /// <exception cref="ArgumentException">An id is invalid.</exception>
    ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>Store-wide counts of online users and live connections.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts.</returns>
    ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default);
}
