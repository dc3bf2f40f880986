namespace Presence.Internal;

/// <summary>
/// One live connection in the in-memory store. It waits for the sweep in its user's shard, in the
/// expiry list (since it connected) or the expiry heap (since a sweep found it refreshed), keyed by
/// <see cref="ExpiryNode.Deadline"/>: a lower bound of <see cref="LeaseEnd"/>, the lease's real end.
/// </summary>
internal sealed class ConnectionEntry(string connectionId, UserEntry user, long leaseEnd) : ExpiryNode
{
    /// <summary>The <see cref="LeaseEnd"/> of a connection a disconnect or a sweep removed; no lease can end there.</summary>
    public const long Removed = long.MinValue;

    public readonly string ConnectionId = connectionId;
    public readonly UserEntry User = user;

    // Copies of User.UserId and User.Shard: a heartbeat then never dereferences the user (a cache miss among many connections).
    public readonly string UserId = user.UserId;
    public readonly ExpiryShard Shard = user.Shard;

    /// <summary><see cref="ConnectionMap.Hash"/> of <see cref="ConnectionId"/>.</summary>
    public readonly int MapHash = ConnectionMap.Hash(connectionId);

    /// <summary>The next entry in this entry's <see cref="ConnectionMap"/> chain; written under the stripe's lock, read without it.</summary>
    public ConnectionEntry? NextInMap;

    /// <summary>
    /// When the lease ends (store clock units), or <see cref="Removed"/>. A heartbeat raises it with a
    /// compare-and-swap and takes no lock; the sweep and a disconnect swap in <see cref="Removed"/>
    /// under the shard's gate. The swaps order a heartbeat and a racing removal: the heartbeat either
    /// extends a lease that is then removed, or sees it removed and registers the connection again.
    /// Only ever rises while the connection lives, so the sweep's key never overshoots it.
    /// </summary>
    public long LeaseEnd = leaseEnd;

    /// <summary>The position in the shard's <see cref="ExpiryShard.Refreshed"/> heap, or -1 when not in it. Guarded by the shard's gate.</summary>
    public int HeapIndex = -1;

    /// <summary>Raises the lease to end at <paramref name="leaseEnd"/> unless the connection is gone; lock-free.</summary>
    /// <returns><see langword="false"/> when a disconnect or a sweep removed the connection first.</returns>
    public bool TryExtend(long leaseEnd)
    {
        var current = Volatile.Read(ref LeaseEnd);
        while (current != Removed)
        {
            // A lease that already ends as late (two heartbeats in one clock tick) needs no write,
            // which keeps the line clean in the caches of other cores.
            if (current >= leaseEnd)
            {
                return true;
            }

            var seen = Interlocked.CompareExchange(ref LeaseEnd, leaseEnd, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Ends the lease unless a heartbeat extended it past <paramref name="leaseEnd"/>; the caller holds the shard's gate.</summary>
    /// <returns><see langword="true"/> when the connection is now <see cref="Removed"/>.</returns>
    public bool TryExpire(long leaseEnd) => Interlocked.CompareExchange(ref LeaseEnd, Removed, leaseEnd) == leaseEnd;
}
