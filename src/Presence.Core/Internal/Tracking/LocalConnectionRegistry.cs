using System.Collections.Concurrent;

namespace Presence.Internal;

/// <summary>
/// The connections open on this node (this process), whatever the store. Feeds the node-local
/// gauges and lets a node that stops cleanly say goodbye for its connections.
/// </summary>
internal sealed class LocalConnectionRegistry
{
    private readonly ConcurrentDictionary<string, string> _userByConnection = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _connectionsByUser = new(StringComparer.Ordinal);

    public int ConnectionCount => _userByConnection.Count;

    public int UserCount => _connectionsByUser.Count;

    public void Add(string userId, string connectionId)
    {
        if (_userByConnection.TryAdd(connectionId, userId))
        {
            _connectionsByUser.AddOrUpdate(userId, 1, static (_, count) => count + 1);
        }
    }

    public void Remove(string userId, string connectionId)
    {
        if (!_userByConnection.TryRemove(new KeyValuePair<string, string>(connectionId, userId)))
        {
            return;
        }

        while (_connectionsByUser.TryGetValue(userId, out var count))
        {
            if (count <= 1
                ? _connectionsByUser.TryRemove(new KeyValuePair<string, int>(userId, count))
                : _connectionsByUser.TryUpdate(userId, count - 1, count))
            {
                return;
            }
        }
    }

    /// <summary>A snapshot of (user, connection) pairs open on this node.</summary>
    public IReadOnlyList<(string UserId, string ConnectionId)> Snapshot() =>
        [.. _userByConnection.Select(static pair => (pair.Value, pair.Key))];
}
