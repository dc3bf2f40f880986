using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>The reply of <see cref="RedisScripts.Renew"/>: <c>{1 | -1 | -2, epoch}</c>.</summary>
/// <param name="Lease">What became of the node's lease.</param>
/// <param name="Epoch">The shard's epoch.</param>
internal readonly record struct RenewReply(LeaseStatus Lease, string? Epoch)
{
    public static RenewReply Read(RedisResult result)
    {
        var items = (RedisResult[])result!;
        return new RenewReply((LeaseStatus)(int)items[0], (string?)items[1]);
    }
}
