using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>The reply of <see cref="RedisScripts.Restore"/> and <see cref="RedisScripts.RestoreGraces"/> and <see cref="RedisScripts.Forget"/>: <c>{epoch, number put back or removed}</c>.</summary>
/// <param name="Epoch">The shard's epoch when the script ran.</param>
/// <param name="Restored">How many entries were put back (or, for <see cref="RedisScripts.Forget"/>, removed).</param>
internal readonly record struct RestoreReply(string? Epoch, int Restored)
{
    public static RestoreReply Read(RedisResult result)
    {
        var items = (RedisResult[])result!;
        return new RestoreReply((string?)items[0], (int)items[1]);
    }
}
