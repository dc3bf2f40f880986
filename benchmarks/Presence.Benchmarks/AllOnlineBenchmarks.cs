using BenchmarkDotNet.Attributes;
using Presence.Benchmarks.Baselines;
using Presence.Internal;

namespace Presence.Benchmarks;

/// <summary>Every online user, one connection each: a copy of the key set in every implementation.</summary>
[MemoryDiagnoser]
public class AllOnlineBenchmarks
{
    private CourseTracker _course = null!;
    private ConcurrentCourseTracker _concurrent = null!;
    private InMemoryPresenceStore _store = null!;

    [Params(10_000, 100_000)]
    public int Users { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _course = new CourseTracker();
        _concurrent = new ConcurrentCourseTracker();
        _store = BenchmarkPresence.Store();
        var userIds = BenchmarkIds.Users(Users);
        var connectionIds = BenchmarkIds.Connections(Users, seed: 5);

        Populate.OnePassEach(
            userIds,
            connectionIds,
            (u, c) => _course.Connect(u, c),
            (u, c) => _concurrent.Connect(u, c),
            (u, c) => _store.AddConnectionAsync(u, c).Sync());
    }

    [Benchmark(Baseline = true, Description = "CourseTracker (lock, copy keys)")]
    public int Course_Lock() => _course.GetOnlineUsers().Length;

    [Benchmark(Description = "ConcurrentCourseTracker (Keys)")]
    public int Course_Concurrent() => _concurrent.GetOnlineUsers().Count;

    [Benchmark(Description = "Ours: store GetAllOnlineAsync")]
    public int Ours_Store() => _store.GetAllOnlineAsync().Sync().Count;
}
