using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Presence.Benchmarks.Baselines;
using Presence.Internal;

namespace Presence.Benchmarks;

/// <summary>
/// One heartbeat of an existing connection, 10,000 users online. With <see cref="Rotation"/> =
/// 10,000 heartbeats go round-robin over every connection, as clients pinging every 25 s do: the
/// realistic case, where each one touches memory no recent call did and ours moves an entry from
/// the head of an expiry list to its tail. With 1 the same connection pings over and over: every
/// line is in cache (and ours finds the entry already at the tail), which isolates the CPU cost.
/// The baselines have no expiry, so all they can do is a lookup: a generous baseline.
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

    [Params(1, Users)]
    public int Rotation { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _userIds = BenchmarkIds.Users(Users);
        _connectionIds = BenchmarkIds.Connections(Users, seed: 1);
        _store = BenchmarkPresence.Store();
        _container = BenchmarkPresence.Container();
        _tracker = _container.GetRequiredService<IPresenceTracker>();
        Populate.OnePassEach(
            _userIds,
            _connectionIds,
            (u, c) => _course.Connect(u, c),
            (u, c) => _concurrent.Connect(u, c),
            (u, c) => _store.AddConnectionAsync(u, c).Sync(),
            (u, c) => _tracker.ConnectAsync(u, c).Sync());
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
    public PresenceTransition Ours_Store()
    {
        var i = Next();
        return _store.RefreshConnectionAsync(_userIds[i], _connectionIds[i]).Sync();
    }

    [Benchmark(Description = "Ours: tracker PingAsync")]
    public PresenceTransition Ours_Tracker()
    {
        var i = Next();
        return _tracker.PingAsync(_userIds[i], _connectionIds[i]).Sync();
    }

    private int Next()
    {
        var i = _next;
        _next = i + 1 == Rotation ? 0 : i + 1;
        return i;
    }
}
