using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>The reply of <see cref="RedisScripts.Connect"/>: <c>{1 came online | 0 | -1 | -2, version, time ms, epoch or ''}</c>.</summary>
/// <param name="Lease">Whether the node's lease was held; when not, nothing was registered.</param>
/// <param name="Transition">What the connect did to the user's presence.</param>
/// <param name="Epoch">The shard's epoch when it differs from the one the node sent; <see langword="null"/> when the same.</param>
internal readonly record struct ConnectReply(LeaseStatus Lease, PresenceTransition Transition, string? Epoch)
{
    public static ConnectReply Read(RedisResult result)
    {
        var items = (RedisResult[])result!;
        var outcome = (int)items[0];
        var transition = outcome == 1
            ? PresenceTransition.CameOnline((long)items[1], RedisServerClock.ToTime(items[2]))
            : PresenceTransition.None;
        var epoch = (string?)items[3];
        return new ConnectReply(outcome < 0 ? (LeaseStatus)outcome : LeaseStatus.Held, transition, string.IsNullOrEmpty(epoch) ? null : epoch);
    }
}
