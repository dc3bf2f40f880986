namespace Presence.Redis.Internal;

/// <summary>
/// Coalesces heartbeats: whatever queues while a flush is in flight goes out in the next flush,
/// grouped by shard. Redis work then grows with the number of nodes and flushes, not with pings.
/// One flush runs at a time per node.
/// </summary>
internal sealed class HeartbeatBatcher
{
    private readonly Queue<PendingRefresh> _queue = new();
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

    public ValueTask<PresenceChange> Enqueue(PendingRefresh request)
    {
        var version = request.Version;
        bool start;
        lock (_gate)
        {
            _queue.Enqueue(request);
            start = !_flushing;
            _flushing = true;
        }

        if (start)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.FlushLoopAsync(), this, preferLocal: false);
        }

        return new ValueTask<PresenceChange>(request, version);
    }

    private async Task FlushLoopAsync()
    {
        var tasks = new List<Task>();
        while (true)
        {
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                for (var taken = 0; taken < _maxPerFlush && _queue.TryDequeue(out var request); taken++)
                {
                    _byShard[request.Shard].Add(request);
                }
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
    }
}
