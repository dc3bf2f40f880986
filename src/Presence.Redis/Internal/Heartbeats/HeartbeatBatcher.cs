namespace Presence.Redis.Internal;

/// <summary>
/// Coalesces heartbeats: whatever queues while a flush is in flight goes out in the next flush,
/// grouped by shard. Redis work then grows with the number of nodes and flushes, not with pings.
/// One flush runs at a time per node.
/// </summary>
/// <remarks>
/// The flush takes the whole queue by swapping two lists, so callers never wait on the lock while
/// thousands of heartbeats are sorted by shard: under a ping storm that wait (spinning, then
/// yielding the CPU) cost more than the Redis call.
/// </remarks>
internal sealed class HeartbeatBatcher
{
    private List<PendingRefresh> _queue = [];
    private List<PendingRefresh> _spare = [];
    private readonly Lock _gate = new();
    private readonly Func<int, List<PendingRefresh>, Task> _sendShard;
    private readonly List<PendingRefresh>[] _byShard;
    private readonly int _maxPerFlush;
    private bool _flushing;

    /// <param name="shardCount">The number of shards.</param>
    /// <param name="maxPerFlush">The most heartbeats taken into one flush.</param>
    /// <param name="sendShard">Sends one shard's heartbeats and completes every one of them; never throws.</param>
    public HeartbeatBatcher(int shardCount, int maxPerFlush, Func<int, List<PendingRefresh>, Task> sendShard)
    {
        _sendShard = sendShard;
        _maxPerFlush = maxPerFlush;
        _byShard = new List<PendingRefresh>[shardCount];
        for (var i = 0; i < shardCount; i++)
        {
            _byShard[i] = [];
        }
    }

    public ValueTask<PresenceTransition> Enqueue(PendingRefresh request)
    {
        var version = request.Version;
        bool start;
        lock (_gate)
        {
            _queue.Add(request);
            start = !_flushing;
            _flushing = true;
        }

        if (start)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.FlushLoopAsync(), this, preferLocal: false);
        }

        return new ValueTask<PresenceTransition>(request, version);
    }

    private async Task FlushLoopAsync()
    {
        var tasks = new List<Task>();
        while (true)
        {
            List<PendingRefresh> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                // Only this loop touches the spare list, and one loop runs at a time.
                batch = _queue;
                _queue = _spare;
            }

            for (var first = 0; first < batch.Count; first += _maxPerFlush)
            {
                var last = Math.Min(batch.Count, first + _maxPerFlush);
                for (var i = first; i < last; i++)
                {
                    _byShard[batch[i].Shard].Add(batch[i]);
                }

                tasks.Clear();
                for (var shard = 0; shard < _byShard.Length; shard++)
                {
                    if (_byShard[shard].Count > 0)
                    {
                        tasks.Add(_sendShard(shard, _byShard[shard]));
                    }
                }

                try
                {
                    await Task.WhenAll(tasks).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // sendShard completes its callers itself; the loop must survive to serve the next heartbeats.
                catch (Exception)
#pragma warning restore CA1031
                {
                }

                foreach (var list in _byShard)
                {
                    list.Clear();
                }
            }

            batch.Clear();
            _spare = batch;
        }
    }
}
