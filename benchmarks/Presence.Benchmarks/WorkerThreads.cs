namespace Presence.Benchmarks;

/// <summary>
/// Runs one piece of work on the calling thread plus dedicated threads, all started together by a
/// barrier. Dedicated threads, not Parallel.For: with the thread pool, the caller can finish both
/// halves before a pool thread wakes up, which would quietly measure one thread.
/// </summary>
internal sealed class WorkerThreads : IDisposable
{
    private readonly Barrier _start;
    private readonly Barrier _done;
    private readonly Thread[] _threads;
    private Action<int>? _work;
    private bool _stopping;

    public WorkerThreads(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
        _start = new Barrier(count);
        _done = new Barrier(count);
        _threads = new Thread[count - 1];
        for (var i = 0; i < _threads.Length; i++)
        {
            var index = i + 1;
            _threads[i] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"bench-worker-{index}" };
            _threads[i].Start();
        }
    }

    public int Count { get; }

    /// <summary>Runs <paramref name="work"/>(thread index) on every thread and returns when all are done.</summary>
    public void Run(Action<int> work)
    {
        _work = work;
        _start.SignalAndWait();
        work(0);
        _done.SignalAndWait();
    }

    public void Dispose()
    {
        _stopping = true;
        _start.SignalAndWait();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _start.Dispose();
        _done.Dispose();
    }

    private void Loop(int index)
    {
        while (true)
        {
            _start.SignalAndWait();
            if (Volatile.Read(ref _stopping))
            {
                return;
            }

            _work!(index);
            _done.SignalAndWait();
        }
    }
}
