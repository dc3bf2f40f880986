namespace Presence.Benchmarks.Baselines;

/// <summary>
/// The connection tracker most SignalR apps copy from a course or tutorial: one global lock around
/// a user → connection ids dictionary. No expiry, so a crashed client stays "online" forever; a
/// heartbeat can only look the connection up.
/// </summary>
internal sealed class CourseTracker
{
    private readonly Dictionary<string, List<string>> _connections = [];
    private readonly object _gate = new();

    /// <summary>Returns <see langword="true"/> when the user's list was created (the user came online).</summary>
    public bool Connect(string userId, string connectionId)
    {
        lock (_gate)
        {
            if (_connections.TryGetValue(userId, out var connectionIds))
            {
                connectionIds.Add(connectionId);
                return false;
            }

            _connections.Add(userId, [connectionId]);
            return true;
        }
    }

    /// <summary>Returns <see langword="true"/> when the user's last connection went (the user went offline).</summary>
    public bool Disconnect(string userId, string connectionId)
    {
        lock (_gate)
        {
            if (!_connections.TryGetValue(userId, out var connectionIds))
            {
                return false;
            }

            connectionIds.Remove(connectionId);
            if (connectionIds.Count > 0)
            {
                return false;
            }

            _connections.Remove(userId);
            return true;
        }
    }

    /// <summary>All a tracker without expiry can do for a heartbeat: check the connection is known.</summary>
    public bool Heartbeat(string userId, string connectionId)
    {
        lock (_gate)
        {
            return _connections.TryGetValue(userId, out var connectionIds) && connectionIds.Contains(connectionId);
        }
    }

    public List<string> GetOnline(IReadOnlyCollection<string> userIds)
    {
        var online = new List<string>();
        lock (_gate)
        {
            foreach (var userId in userIds)
            {
                if (_connections.ContainsKey(userId))
                {
                    online.Add(userId);
                }
            }
        }

        return online;
    }

    public string[] GetOnlineUsers()
    {
        lock (_gate)
        {
            return [.. _connections.Keys];
        }
    }
}
