using System.Collections.Concurrent;

namespace Presence.Benchmarks.Baselines;

/// <summary>
/// The usual "lock-free" rewrite of <see cref="CourseTracker"/>: nested concurrent dictionaries.
/// Its race is kept on purpose, because this is what ships: a connect can add to a user's inner
/// dictionary just after a disconnect saw it empty and dropped it, losing that connection, and two
/// racing connects can both miss (or both report) the online transition. No expiry either.
/// </summary>
internal sealed class ConcurrentCourseTracker
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _connections = new();

    /// <summary>Returns <see langword="true"/> when this looks like the user's first connection.</summary>
    public bool Connect(string userId, string connectionId)
    {
        var connectionIds = _connections.GetOrAdd(userId, static _ => new ConcurrentDictionary<string, byte>());
        connectionIds.TryAdd(connectionId, 0);
        return connectionIds.Count == 1;
    }

    /// <summary>Returns <see langword="true"/> when this looks like the user's last connection.</summary>
    public bool Disconnect(string userId, string connectionId)
    {
        if (!_connections.TryGetValue(userId, out var connectionIds))
        {
            return false;
        }

        connectionIds.TryRemove(connectionId, out _);
        if (!connectionIds.IsEmpty)
        {
            return false;
        }

        _connections.TryRemove(userId, out _);
        return true;
    }

    /// <summary>All a tracker without expiry can do for a heartbeat: check the connection is known.</summary>
    public bool Heartbeat(string userId, string connectionId) =>
        _connections.TryGetValue(userId, out var connectionIds) && connectionIds.ContainsKey(connectionId);

    public List<string> GetOnline(IReadOnlyCollection<string> userIds)
    {
        var online = new List<string>();
        foreach (var userId in userIds)
        {
            if (_connections.ContainsKey(userId))
            {
                online.Add(userId);
            }
        }

        return online;
    }

    public ICollection<string> GetOnlineUsers() => _connections.Keys;
}
