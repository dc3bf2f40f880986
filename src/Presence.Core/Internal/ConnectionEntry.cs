namespace Presence.Internal;

/// <summary>
/// One live connection in the in-memory store, linked into its shard's expiry list; or, with
/// <see cref="IsGrace"/>, the pending end of a user's offline grace period (in a grace shard).
/// </summary>
internal sealed class ConnectionEntry(string connectionId, UserEntry user, ExpiryShard shard, bool isGrace = false)
{
    public readonly string ConnectionId = connectionId;
    public readonly UserEntry User = user;

    // A copy of User.UserId: the owner check on every heartbeat then skips a dereference (a cache miss among many connections).
    public readonly string UserId = user.UserId;
    public readonly ExpiryShard Shard = shard;
    public readonly bool IsGrace = isGrace;

    /// <summary>For a grace entry: when the last connection closed (UTC), the time the eventual offline event carries.</summary>
    public DateTimeOffset DisconnectedAt;

    // Guarded by Shard.Gate.
    public long Deadline;
    public ConnectionEntry? Previous;
    public ConnectionEntry? Next;
    public bool Linked;

    // Guarded by User.Gate.
    public bool Removed;
}
