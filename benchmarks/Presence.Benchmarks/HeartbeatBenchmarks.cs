using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Presence.Benchmarks.Baselines;
using Presence.Internal;

namespace Presence.Benchmarks;

/// <summary>
/// One heartbeat of an existing connection, 10,000 users online. Heartbeats go round-robin, as
/// clients pinging every 25 s do, so ours moves an entry from the middle of an expiry list to its
/// tail each time rather than re-touching the tail. The baselines have no expiry, so all they can
/// do is a lookup: a generous baseline.
/// </summary>
[MemoryDiagnoser]
public class HeartbeatBenchmarks
{
    private const int Users = 10_000;

    private readonly CourseTracker _course = new();
    private readonly ConcurrentCourseTracker _concurrent = new();
    private string[] _userIds = [];
    private string[] _connectionIds = [];
    private InMemoryPresenceStore _store = null!;
    private ServiceProvider _container = null!;
    private IPresenceTracker _tracker = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _userIds = BenchmarkIds.Users(Users);
        _connectionIds = BenchmarkIds.Connections(Users, seed: 1);
        _store = BenchmarkPresence.Store();
        _container = BenchmarkPresence.Container();
        _tracker = _container.GetRequiredService<IPresenceTracker>();
        for (var i = 0; i < Users; i++)
        {
            _course.Connect(_userIds[i], _connectionIds[i]);
            _concurrent.Connect(_userIds[i], _connectionIds[i]);
            _store.AddConnectionAsync(_userIds[i], _connectionIds[i]).Sync();
            _tracker.ConnectAsync(_userIds[i], _connectionIds[i]).Sync();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _container.Dispose();

    [Benchmark(Baseline = true, Description = "CourseTracker (lock, lookup only)")]
    public bool Course_Lock()
    {
        var i = Next();
        return _course.Heartbeat(_userIds[i], _connectionIds[i]);
    }

    [Benchmark(Description = "ConcurrentCourseTracker (lookup only)")]
    public bool Course_Concurrent()
    {
        var i = Next();
        return _concurrent.Heartbeat(_userIds[i], _connectionIds[i]);
    }

    [Benchmark(Description = "Ours: store RefreshConnectionAsync")]
    public PresenceChange Ours_Store()
    {
        var i = Next();
        return _store.RefreshConnectionAsync(_userIds[i], _connectionIds[i]).Sync();
    }

    [Benchmark(Description = "Ours: tracker PingAsync")]
    public PresenceChange Ours_Tracker()
    {
        var i = Next();
        return _tracker.PingAsync(_userIds[i], _connectionIds[i]).Sync();
    }

    private int Next()
    {
        var i = _next;
        _next = i + 1 == Users ? 0 : i + 1;
        return i;
    }
}
