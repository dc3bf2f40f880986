namespace Presence.Internal;

/// <summary>One live connection in the in-memory store, linked into its user's shard's expiry list.</summary>
internal sealed class ConnectionEntry(string connectionId, UserEntry user) : ExpiryNode
{
    public readonly string ConnectionId = connectionId;
    public readonly UserEntry User = user;

    // Copies of User.UserId and User.Shard: a heartbeat then never dereferences the user (a cache miss among many connections).
    public readonly string UserId = user.UserId;
    public readonly ExpiryShard Shard = user.Shard;
}
