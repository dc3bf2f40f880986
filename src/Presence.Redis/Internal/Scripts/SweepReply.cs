using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// The reply of <see cref="RedisScripts.Sweep"/>: <c>{more 0|1, connections removed, entries processed,
/// lease, epoch or '', then per user who went offline: userId, offline time ms, 'e'|'d', version}</c>.
/// </summary>
/// <param name="HasMore">More expired entries remain in the shard.</param>
/// <param name="Removed">Connections removed.</param>
/// <param name="Processed">Expired connections and ended grace periods taken, counted against the budget.</param>
/// <param name="Lease">What the script found of the node's lease.</param>
/// <param name="Epoch">The shard's epoch when it differs from the node's; <see langword="null"/> when the same.</param>
/// <param name="Users">The users who went offline; <see langword="null"/> when none.</param>
internal sealed record SweepReply(bool HasMore, int Removed, int Processed, LeaseStatus Lease, string? Epoch, List<SweptUser>? Users)
{
    private const int Header = 5;
    private const int Stride = 4;

    public static SweepReply Read(RedisResult result)
    {
        var items = (RedisResult[])result!;
        List<SweptUser>? users = null;
        for (var i = Header; i + Stride <= items.Length; i += Stride)
        {
            var reason = (string?)items[i + 2] == "d" ? OfflineReason.Disconnected : OfflineReason.Expired;
            (users ??= []).Add(new SweptUser((string)items[i]!, reason, RedisServerClock.ToTime(items[i + 1]), (long)items[i + 3]));
        }

        var epoch = (string?)items[4];
        return new SweepReply((int)items[0] == 1, (int)items[1], (int)items[2], (LeaseStatus)(int)items[3], string.IsNullOrEmpty(epoch) ? null : epoch, users);
    }
}
