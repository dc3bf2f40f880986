using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>One call of a read script over several shards: their keys, nine per shard, and per shard the indexes of its users.</summary>
/// <param name="Keys">The shards' keys, shard after shard.</param>
/// <param name="Shards">Per shard, in the order of <paramref name="Keys"/>, the indexes of its users in the caller's list.</param>
internal sealed record ScriptGroup(RedisKey[] Keys, List<List<int>> Shards)
{
    /// <summary>The indexes of every user of the call, in the order the script answers.</summary>
    public List<int> Indexes => [.. Shards.SelectMany(static s => s)];

    /// <summary>The script arguments: <paramref name="reserved"/> empty slots, then per shard the user count and the users.</summary>
    public RedisValue[] UserArgs(List<string> userIds, int reserved)
    {
        var args = new RedisValue[reserved + Shards.Sum(static s => s.Count + 1)];
        var a = reserved;
        foreach (var shard in Shards)
        {
            args[a++] = shard.Count;
            foreach (var index in shard)
            {
                args[a++] = userIds[index];
            }
        }

        return args;
    }
}
