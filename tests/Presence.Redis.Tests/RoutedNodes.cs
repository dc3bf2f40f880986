namespace Presence.Redis.Tests;

/// <summary>
/// Several store instances ("nodes", each on its own Redis connection) behind one
/// <see cref="IPresenceStore"/>, the way a load-balanced app uses them: a connection's calls always
/// go to the node it lives on, while sweeps and queries rotate over every node.
/// </summary>
internal sealed class RoutedNodes(IReadOnlyList<IPresenceStore> nodes) : IPresenceStore
{
    private int _next;

    public ValueTask<PresenceTransition> AddConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        NodeOf(connectionId).AddConnectionAsync(userId, connectionId, cancellationToken);

    public ValueTask<PresenceTransition> RemoveConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        NodeOf(connectionId).RemoveConnectionAsync(userId, connectionId, cancellationToken);

    public ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default) =>
        NodeOf(connectionId).RefreshConnectionAsync(userId, connectionId, cancellationToken);

    public ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default) =>
        Any().SweepExpiredAsync(maxConnections, cancellationToken);

    public ValueTask<IReadOnlyList<string>> GetOnlineAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        Any().GetOnlineAsync(userIds, cancellationToken);

    public ValueTask<IReadOnlyList<string>> GetAllOnlineAsync(CancellationToken cancellationToken = default) =>
        Any().GetAllOnlineAsync(cancellationToken);

    public ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        Any().GetCountsAsync(cancellationToken);

    public ValueTask<StatusTransition> SetStatusAsync(string userId, string status, CancellationToken cancellationToken = default) =>
        Any().SetStatusAsync(userId, status, cancellationToken);

    public ValueTask<IReadOnlyList<UserPresence>> GetPresenceAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        Any().GetPresenceAsync(userIds, cancellationToken);

    private IPresenceStore NodeOf(string connectionId) =>
        nodes[(int)((uint)StringComparer.Ordinal.GetHashCode(connectionId) % (uint)nodes.Count)];

    private IPresenceStore Any() => nodes[(int)((uint)Interlocked.Increment(ref _next) % (uint)nodes.Count)];
}
