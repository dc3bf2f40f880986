using System.Collections.Concurrent;

namespace Presence.Internal;

/// <summary>
/// The connections open on this node (this process), whatever the store. Feeds the node-local
/// gauges, lets a node that stops cleanly say goodbye for its connections, and orders each
/// connection's heartbeats before its disconnect.
/// </summary>
/// <remarks>
/// A closed connection is remembered for <see cref="ClosedMemory"/>, so a heartbeat that SignalR
/// dispatched before the close but that reaches the tracker after it is dropped instead of
/// registering the connection again. Heartbeats of connections this node never saw open (a store
/// driven directly, or tests) go to the store as they always did.
/// </remarks>
internal sealed class LocalConnectionRegistry(TimeProvider timeProvider)
{
    /// <summary>How long a closed connection id is remembered; far longer than any hub call takes to reach the tracker.</summary>
    public static readonly TimeSpan ClosedMemory = TimeSpan.FromMinutes(2);

    /// <summary>The longest a disconnect waits for the connection's heartbeats in flight (each is bounded by the store's own timeouts).</summary>
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, LocalConnection> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _closed = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string ConnectionId, long ClosedAt)> _closedOrder = new();
    private readonly ConcurrentDictionary<string, int> _connectionsByUser = new(StringComparer.Ordinal);

    public int ConnectionCount => _open.Count;

    public int UserCount => _connectionsByUser.Count;

    public void Add(string userId, string connectionId)
    {
        _closed.TryRemove(connectionId, out _);
        if (_open.TryAdd(connectionId, new LocalConnection(userId)))
        {
            _connectionsByUser.AddOrUpdate(userId, 1, static (_, count) => count + 1);
        }
    }

    /// <summary>
    /// Starts a heartbeat: <see langword="false"/> when the connection closed on this node (drop the
    /// heartbeat); otherwise <paramref name="connection"/> is the open connection to pass to
    /// <see cref="LocalConnection.EndPing"/> when the heartbeat is done, or <see langword="null"/> for one this node never saw.
    /// </summary>
    public bool TryBeginPing(string connectionId, out LocalConnection? connection)
    {
        if (_open.TryGetValue(connectionId, out connection))
        {
            if (connection.TryBeginPing())
            {
                return true;
            }

            connection = null;
            return false;
        }

        return !_closed.ContainsKey(connectionId);
    }

    /// <summary>Closes a connection on this node and completes once none of its heartbeats is in flight; returns it, or <see langword="null"/> when it was not open here.</summary>
    public async Task<LocalConnection?> CloseAsync(string userId, string connectionId)
    {
        var now = timeProvider.GetTimestamp();
        ForgetOldClosed(now);
        if (!_open.TryGetValue(connectionId, out var connection) || !string.Equals(connection.UserId, userId, StringComparison.Ordinal))
        {
            return null;
        }

        _closed[connectionId] = now;
        _closedOrder.Enqueue((connectionId, now));
        if (!_open.TryRemove(new KeyValuePair<string, LocalConnection>(connectionId, connection)))
        {
            return null;
        }

        DecrementUser(userId);
        try
        {
            await connection.CloseAsync().WaitAsync(s_drainTimeout, timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A heartbeat stuck longer than any store timeout: the disconnect goes ahead.
        }

        return connection;
    }

    /// <summary>A snapshot of (user, connection) pairs open on this node.</summary>
    public IReadOnlyList<(string UserId, string ConnectionId)> Snapshot() =>
        [.. _open.Select(static pair => (pair.Value.UserId, pair.Key))];

    private void DecrementUser(string userId)
    {
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

    private void ForgetOldClosed(long now)
    {
        while (_closedOrder.TryPeek(out var oldest) && timeProvider.GetElapsedTime(oldest.ClosedAt, now) > ClosedMemory)
        {
            if (_closedOrder.TryDequeue(out oldest))
            {
                _closed.TryRemove(new KeyValuePair<string, long>(oldest.ConnectionId, oldest.ClosedAt));
            }
        }
    }
}
