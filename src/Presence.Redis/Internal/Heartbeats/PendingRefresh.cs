using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// One queued heartbeat and the awaitable its caller holds. Pooled: a heartbeat allocates nothing
/// once the pool is warm.
/// </summary>
internal sealed class PendingRefresh : IValueTaskSource<PresenceTransition>
{
    // Enough for a ping storm of 10,000+ connections on one node (about 1.5 MB at most), so a storm does not
    // allocate (and promote) most of its requests again on the next round.
    private const int MaxPooled = 16384;
    private static readonly ConcurrentQueue<PendingRefresh> s_pool = new();
    private static int s_pooled;

    private ManualResetValueTaskSourceCore<PresenceTransition> _core = new() { RunContinuationsAsynchronously = true };

    public int Shard { get; private set; }

    public RedisValue Member { get; private set; }

    public short Version => _core.Version;

    public static PendingRefresh Rent(int shard, RedisValue member)
    {
        if (s_pool.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref s_pooled);
        }
        else
        {
            item = new PendingRefresh();
        }

        item.Shard = shard;
        item.Member = member;
        return item;
    }

    public void SetResult(PresenceTransition change) => _core.SetResult(change);

    public void SetException(Exception exception) => _core.SetException(exception);

    public PresenceTransition GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Member = default;
            if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
            {
                s_pool.Enqueue(this);
            }
            else
            {
                Interlocked.Decrement(ref s_pooled);
            }
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
