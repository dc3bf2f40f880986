namespace Presence.Redis.Internal;

/// <summary>
/// An offline grace period this node started (or a disconnect that met lost data, held like one).
/// Kept until it ends, so that when Redis loses the shard's data the node can put it back:
/// otherwise the user would never be reported offline.
/// </summary>
/// <param name="Shard">The user's shard.</param>
/// <param name="DisconnectedAtMilliseconds">The disconnect's Redis server time (ms): the time the eventual offline event carries.</param>
/// <param name="EndsAt">The node's <see cref="TimeProvider"/> timestamp when the period ends.</param>
internal sealed record LocalGrace(int Shard, long DisconnectedAtMilliseconds, long EndsAt);
