using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// The reply of <see cref="RedisScripts.RefreshBatch"/>: <c>{epoch, time ms, then per member whose
/// user came online, ascending: 1-based position, version}</c>.
/// </summary>
internal readonly struct RefreshBatchReply
{
    private const int Header = 2;
    private readonly RedisResult[] _items;

    private RefreshBatchReply(RedisResult[] items) => _items = items;

    /// <summary>The shard's epoch.</summary>
    public string? Epoch => (string?)_items[0];

    /// <summary>The script's Redis time: the decision time of every user that came online.</summary>
    public DateTimeOffset At => RedisServerClock.ToTime(_items[1]);

    /// <summary>How many members brought their user online.</summary>
    public int CameOnlineCount => (_items.Length - Header) / 2;

    public static RefreshBatchReply Read(RedisResult result) => new((RedisResult[])result!);

    /// <summary>The 0-based position, among the batch's members, of the <paramref name="k"/>th member that brought its user online.</summary>
    public int Position(int k) => (int)_items[Header + (2 * k)] - 1;

    /// <summary>The new version of the <paramref name="k"/>th user that came online.</summary>
    public long Version(int k) => (long)_items[Header + (2 * k) + 1];
}
