using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>The reply of <see cref="RedisScripts.Connect"/>: <c>{came online 0|1, version, time ms, epoch or ''}</c>.</summary>
/// <param name="Transition">What the connect did to the user's presence.</param>
/// <param name="Epoch">The shard's epoch when it differs from the one the node sent; <see langword="null"/> when the same.</param>
internal readonly record struct ConnectReply(PresenceTransition Transition, string? Epoch)
{
    public static ConnectReply Read(RedisResult result)
    {
        var items = (RedisResult[])result!;
        var transition = (int)items[0] == 1
            ? PresenceTransition.CameOnline((long)items[1], RedisServerClock.ToTime(items[2]))
            : PresenceTransition.None;
        var epoch = (string?)items[3];
        return new ConnectReply(transition, string.IsNullOrEmpty(epoch) ? null : epoch);
    }
}
