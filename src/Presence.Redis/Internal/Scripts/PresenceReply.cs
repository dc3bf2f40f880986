using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// Reads the reply of <see cref="RedisScripts.GetPresence"/>: per user, in the order asked,
/// <c>connection count (-1 offline), status or '', last seen ms or '', version</c>.
/// </summary>
internal readonly struct PresenceReply
{
    private const int Stride = 4;
    private readonly RedisResult[] _items;

    private PresenceReply(RedisResult[] items) => _items = items;

    public static PresenceReply Read(RedisResult result) => new((RedisResult[])result!);

    /// <summary>The presence of the <paramref name="index"/>th user the script was asked about.</summary>
    public UserPresence User(int index, string userId)
    {
        var at = Stride * index;
        var count = (int)_items[at];
        var status = (string?)_items[at + 1];
        var lastSeen = _items[at + 2];
        var version = (long)_items[at + 3];
        return count < 0
            ? new UserPresence(userId, false, null, lastSeen.IsNull || ((string?)lastSeen)!.Length == 0 ? null : RedisServerClock.ToTime(lastSeen), 0, version)
            : new UserPresence(userId, true, string.IsNullOrEmpty(status) ? null : status, null, count, version);
    }
}
