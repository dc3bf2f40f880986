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

    /// <summary>
    /// Every node sweeps, as every node's sweeper does in a deployment: each expires its own silent
    /// connections (their leases are in its memory). The budget is shared, starting at a different node each call.
    /// </summary>
    public async ValueTask<SweepResult> SweepExpiredAsync(int maxConnections, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        var first = (int)((uint)Interlocked.Increment(ref _next) % (uint)nodes.Count);
        var users = new List<SweptUser>();
        var removed = 0;
        var hasMore = false;
        for (var i = 0; i < nodes.Count; i++)
        {
            if (removed >= maxConnections)
            {
                hasMore = true;
                break;
            }

            var result = await nodes[(first + i) % nodes.Count].SweepExpiredAsync(maxConnections - removed, cancellationToken);
            users.AddRange(result.Users);
            removed += result.RemovedConnections;
            hasMore |= result.HasMore;
        }

        return new SweepResult(users, removed, hasMore);
    }

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
