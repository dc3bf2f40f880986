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
/// Implementations must be thread-safe, validate ids with <see cref="PresenceId.ThrowIfInvalid"/>
/// (throwing before any state changes), and pass the conformance suite in the test project
/// (<c>PresenceStoreConformanceTests</c>).
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
    /// <returns><see cref="PresenceChange.CameOnline"/> when this was the user's first live connection.</returns>
    /// <exception cref="ArgumentException">An id is invalid, or the connection is registered to another user.</exception>
    ValueTask<PresenceChange> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a connection. Removing a connection that is not registered (already expired, or never
    /// added) changes nothing and returns <see cref="PresenceChange.None"/>, so a late disconnect is harmless.
    /// </summary>
    /// <param name="userId">The user who owns the connection.</param>
    /// <param name="connectionId">The connection's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="PresenceChange.WentOffline"/> when this was the user's last live connection.</returns>
    /// <exception cref="ArgumentException">An id is invalid, or the connection is registered to another user.</exception>
    ValueTask<PresenceChange> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends a connection's lease (a heartbeat). An unknown connection — lost by the store or
    /// expired during a pause — is registered again, which may bring the user back online.
    /// </summary>
    /// <param name="userId">The user who owns the connection.</param>
    /// <param name="connectionId">The connection's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="PresenceChange.CameOnline"/> when re-registering brought the user back online.</returns>
    /// <exception cref="ArgumentException">An id is invalid, or the connection is registered to another user.</exception>
    ValueTask<PresenceChange> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes up to <paramref name="maxConnections"/> expired connections and reports the users
    /// who went offline because of it. Each such user is reported by exactly one sweep, even when
    /// several nodes sweep at once. The cost is proportional to what expired, not to what is online.
    /// </summary>
    /// <param name="maxConnections">The most connections to remove in this call; at least 1.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The users who expired, and whether more expired connections remain.</returns>
    ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default);

    /// <summary>Whether the user has at least one live connection.</summary>
    /// <param name="userId">The user to look up.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the user is online.</returns>
    ValueTask<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Which of the given users are online, in one call.</summary>
    /// <param name="userIds">The users to look up. Duplicates are reported once.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The online users among <paramref name="userIds"/>, in their first order of appearance.</returns>
    ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>All online users. Meant for small apps and diagnostics: its cost grows with the number online.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Every online user, once each, in no particular order.</returns>
    ValueTask<IReadOnlyList<string>> GetAllOnlineAsync(CancellationToken cancellationToken = default);

    /// <summary>The number of live connections a user holds (0 when offline).</summary>
    /// <param name="userId">The user to look up.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The user's live connection count.</returns>
    ValueTask<int> GetConnectionCountAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Store-wide counts of online users and live connections.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts.</returns>
    ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default);
}
