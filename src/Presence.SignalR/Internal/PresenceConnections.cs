using System.Collections.Concurrent;

namespace Presence.SignalR.Internal;

/// <summary>The tracked connections open on this node, of every hub presence is attached to: whom a resync sends its snapshot again.</summary>
internal sealed class PresenceConnections
{
    private readonly ConcurrentDictionary<string, PresenceConnection> _open = new(StringComparer.Ordinal);

    public void Add(PresenceConnection connection) => _open[connection.ConnectionId] = connection;

    public void Remove(string connectionId) => _open.TryRemove(connectionId, out _);

    /// <summary>The tracked connections of <paramref name="hub"/>, by user.</summary>
    public Dictionary<string, List<string>> ByUser(Type hub)
    {
        var byUser = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var connection in _open.Values)
        {
            if (connection.Hub == hub && connection.UserId is { } userId)
            {
                (byUser.TryGetValue(userId, out var ids) ? ids : byUser[userId] = []).Add(connection.ConnectionId);
            }
        }

        return byUser;
    }
}
