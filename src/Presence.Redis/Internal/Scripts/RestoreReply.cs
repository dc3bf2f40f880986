using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>The reply of <see cref="RedisScripts.Restore"/>: <c>{epoch, users and grace periods put back, late 0 | 1}</c>.</summary>
/// <param name="Epoch">The shard's epoch when the script ran.</param>
/// <param name="Restored">How many users and grace periods were put back.</param>
/// <param name="Late">Users were put back online after the shard settled: every node's connections need their snapshot again.</param>
internal readonly record struct RestoreReply(string? Epoch, int Restored, bool Late)
{
    public static RestoreReply Read(RedisResult result)
    {
        var items = (RedisResult[])result!;
        return new RestoreReply((string?)items[0], (int)items[1], items.Length > 2 && (int)items[2] == 1);
    }
}
