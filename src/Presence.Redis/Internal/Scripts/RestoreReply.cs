using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>The reply of <see cref="RedisScripts.Restore"/>: <c>{epoch, users and grace periods put back}</c>.</summary>
/// <param name="Epoch">The shard's epoch when the script ran.</param>
/// <param name="Restored">How many users and grace periods were put back.</param>
internal readonly record struct RestoreReply(string? Epoch, int Restored)
{
    public static RestoreReply Read(RedisResult result)
    {
        var items = (RedisResult[])result!;
        return new RestoreReply((string?)items[0], (int)items[1]);
    }
}
