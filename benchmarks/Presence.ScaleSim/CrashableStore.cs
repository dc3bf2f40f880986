namespace Presence.ScaleSim;

/// <summary>
/// In-memory mode only: one node's view of the store the nodes share. After <see cref="Crash"/> every
/// call fails as an unreachable remote store would, so the node's shutdown cannot say goodbye and its
/// sweeper no longer takes part, as if its process had died. (Redis mode needs no wrapper: a
/// crash there drops the node's own Redis connection.)
/// </summary>
/// <param name="inner">The shared store.</param>
internal sealed class CrashableStore(IPresenceStore inner) : IPresenceStore
{
    private volatile bool _crashed;

    /// <summary>From now on every call fails.</summary>
    public void Crash() => _crashed = true;

    /// <inheritdoc/>
    public ValueTask<PresenceTransition> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Live().AddConnectionAsync(userId, connectionId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Live().RemoveConnectionAsync(userId, connectionId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        Live().RefreshConnectionAsync(userId, connectionId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default) =>
        Live().SweepExpiredAsync(maxConnections, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        Live().GetOnlineAsync(userIds, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> GetAllOnlineAsync(CancellationToken cancellationToken = default) =>
        Live().GetAllOnlineAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StatusTransition> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default) =>
        Live().SetStatusAsync(userId, status, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        Live().GetPresenceAsync(userIds, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        Live().GetCountsAsync(cancellationToken);

    private IPresenceStore Live() =>
        _crashed ? throw new PresenceStoreUnavailableException("The simulated node crashed: its store is unreachable.") : inner;
}
