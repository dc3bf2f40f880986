namespace Presence.Redis.Internal;

/// <summary>
/// Lets a shard's connects, disconnects and sweeps run together, and a data-loss restore of the
/// shard run alone: the restore rewrites the node's record from what the node holds, so no change
/// of that record may be in flight while it reads what the node holds. Restores are rare; the
/// shared side costs one uncontended lock.
/// </summary>
internal sealed class ShardGate
{
    private readonly Lock _lock = new();
    private int _active;
    private TaskCompletionSource? _exclusive;
    private TaskCompletionSource? _drained;

    /// <summary>Enters the shared side, waiting for a restore in progress.</summary>
    public async ValueTask EnterAsync()
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_exclusive is null)
                {
                    _active++;
                    return;
                }

                wait = _exclusive.Task;
            }

            await wait.ConfigureAwait(false);
        }
    }

    /// <summary>Leaves the shared side.</summary>
    public void Exit()
    {
        lock (_lock)
        {
            if (--_active == 0)
            {
                _drained?.TrySetResult();
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> alone: after every shared holder left, and before any new one enters.</summary>
    public async Task RunExclusiveAsync(Func<Task> work)
    {
        TaskCompletionSource mine = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? drained = null;
        while (true)
        {
            Task? wait = null;
            lock (_lock)
            {
                if (_exclusive is null)
                {
                    _exclusive = mine;
                    if (_active > 0)
                    {
                        _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        drained = _drained.Task;
                    }
                }
                else
                {
                    wait = _exclusive.Task;
                }
            }

            if (wait is null)
            {
                break;
            }

            await wait.ConfigureAwait(false);
        }

        try
        {
            if (drained is not null)
            {
                await drained.ConfigureAwait(false);
            }

            await work().ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _exclusive = null;
                _drained = null;
            }

            mine.TrySetResult();
        }
    }
}
