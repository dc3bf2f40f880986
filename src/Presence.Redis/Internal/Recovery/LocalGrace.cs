namespace Presence.Redis.Internal;

/// <summary>
/// An offline grace period this node started. Kept until it ends, so that when Redis loses the
/// shard's data the node can put it back: otherwise the user would never be reported offline.
/// </summary>
internal sealed class LocalGrace(int shard, long disconnectedAtMilliseconds, long startedAt)
{
    public readonly int Shard = shard;

    /// <summary>The disconnect's Redis server time (ms): the time the eventual offline event carries.</summary>
    public readonly long DisconnectedAtMilliseconds = disconnectedAtMilliseconds;

    /// <summary>The node's <see cref="TimeProvider"/> timestamp of the disconnect; only differences are used.</summary>
    public readonly long StartedAt = startedAt;
}
