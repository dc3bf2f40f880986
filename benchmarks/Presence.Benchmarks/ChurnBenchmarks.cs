using BenchmarkDotNet.Attributes;
using Presence.Benchmarks.Baselines;
using Presence.Internal;

namespace Presence.Benchmarks;

/// <summary>
/// Connect + disconnect churn: one operation is a tab reload, a connect of one more tab followed by
/// its disconnect, for a user who keeps <see cref="Tabs"/> − 1 other tabs open (with 1 tab, every
/// operation is a full online → offline transition). Each invocation runs <see cref="Reloads"/>
/// operations split across <see cref="Threads"/> threads that work on disjoint users, and the
/// reported time is per operation, so at 2 threads it is the inverse of throughput. Ours keeps
/// every connection's lease in an expiry list while the baselines track no expiry at all.
/// </summary>
[MemoryDiagnoser]
public class ChurnBenchmarks
{
    /// <summary>Even, so thread t (t = i mod 2) only ever touches users with index parity t.</summary>
    private const int Users = 1_000;
    private const int Reloads = 4_096;

    private CourseTracker _course = null!;
    private ConcurrentCourseTracker _concurrent = null!;
    private InMemoryPresenceStore _store = null!;
    private WorkerThreads _workers = null!;
    private string[] _userIds = [];
    private string[] _reloadIds = [];
    private Action<int> _courseWork = null!;
    private Action<int> _concurrentWork = null!;
    private Action<int> _storeWork = null!;

    [Params(1, 10, 100)]
    public int Tabs { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _course = new CourseTracker();
        _concurrent = new ConcurrentCourseTracker();
        _store = BenchmarkPresence.Store();
        _workers = new WorkerThreads(Threads);
        _userIds = BenchmarkIds.Users(Users);
        _reloadIds = BenchmarkIds.Connections(Users, seed: 2);
        var openTabs = BenchmarkIds.Connections(Users * (Tabs - 1), seed: 3);
        // One pass each, so every implementation's objects lie together on the heap as in its own app.
        OpenTabs(openTabs, (u, c) => _course.Connect(u, c));
        OpenTabs(openTabs, (u, c) => _concurrent.Connect(u, c));
        OpenTabs(openTabs, (u, c) => _store.AddConnectionAsync(u, c).Sync());

        // Built once so an invocation allocates nothing of its own; every variant pays the same delegate calls.
        Action<string, string> courseReload = (u, c) =>
        {
            _course.Connect(u, c);
            _course.Disconnect(u, c);
        };
        Action<string, string> concurrentReload = (u, c) =>
        {
            _concurrent.Connect(u, c);
            _concurrent.Disconnect(u, c);
        };
        Action<string, string> storeReload = (u, c) =>
        {
            _store.AddConnectionAsync(u, c).Sync();
            _store.RemoveConnectionAsync(u, c).Sync();
        };
        _courseWork = thread => Loop(thread, courseReload);
        _concurrentWork = thread => Loop(thread, concurrentReload);
        _storeWork = thread => Loop(thread, storeReload);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _workers.Dispose();
        var expected = (long)Users * (Tabs - 1);
        var counts = _store.GetCountsAsync().Sync();
        if (counts.Connections != expected)
        {
            throw new InvalidOperationException($"The store holds {counts.Connections} connections after churn; expected {expected}.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Reloads, Description = "CourseTracker (global lock)")]
    public void Course_Lock() => _workers.Run(_courseWork);

    [Benchmark(OperationsPerInvoke = Reloads, Description = "ConcurrentCourseTracker")]
    public void Course_Concurrent() => _workers.Run(_concurrentWork);

    [Benchmark(OperationsPerInvoke = Reloads, Description = "Ours: store Add + Remove")]
    public void Ours_Store() => _workers.Run(_storeWork);

    private void OpenTabs(string[] openTabs, Action<string, string> connect)
    {
        for (var u = 0; u < Users; u++)
        {
            for (var t = 0; t < Tabs - 1; t++)
            {
                connect(_userIds[u], openTabs[(u * (Tabs - 1)) + t]);
            }
        }
    }

    private void Loop(int thread, Action<string, string> reload)
    {
        for (var i = thread; i < Reloads; i += Threads)
        {
            var u = i % Users;
            reload(_userIds[u], _reloadIds[u]);
        }
    }
}
