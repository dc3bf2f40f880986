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

        // One loop each, so every implementation's objects lie together on the heap as in its own app.
        for (var i = 0; i < Users; i++)
        {
            _course.Connect(userIds[i], connectionIds[i]);
        }

        for (var i = 0; i < Users; i++)
        {
            _concurrent.Connect(userIds[i], connectionIds[i]);
        }

        for (var i = 0; i < Users; i++)
        {
            _store.AddConnectionAsync(userIds[i], connectionIds[i]).Sync();
        }
    }

    [Benchmark(Baseline = true, Description = "CourseTracker (lock, copy keys)")]
    public int Course_Lock() => _course.GetOnlineUsers().Length;

    [Benchmark(Description = "ConcurrentCourseTracker (Keys)")]
    public int Course_Concurrent() => _concurrent.GetOnlineUsers().Count;

    [Benchmark(Description = "Ours: store GetAllOnlineAsync")]
    public int Ours_Store() => _store.GetAllOnlineAsync().Sync().Count;
}
