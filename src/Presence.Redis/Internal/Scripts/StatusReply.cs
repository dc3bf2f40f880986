using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>Reads the reply of <see cref="RedisScripts.SetStatus"/>: <c>{<see cref="StatusChange"/> value, version, time ms}</c>.</summary>
internal static class StatusReply
{
    public static StatusTransition Read(RedisResult result)
    {
        var items = (RedisResult[])result!;
        return (StatusChange)(int)items[0] switch
        {
            StatusChange.Changed => StatusTransition.Changed((long)items[1], RedisServerClock.ToTime(items[2])),
            StatusChange.Unchanged => StatusTransition.Unchanged,
            _ => StatusTransition.NotOnline,
        };
    }
}
