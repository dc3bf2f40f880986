using BenchmarkDotNet.Attributes;
using Presence.Benchmarks.Baselines;
using Presence.Internal;

namespace Presence.Benchmarks;

/// <summary>
/// "Which of these 1,000 users are online?" (a friends list or a chat's members), 10,000 users
/// online, half of the asked users among them. Ours also validates every id and reports duplicates
/// once; the baselines do neither.
/// </summary>
[MemoryDiagnoser]
public class BatchQueryBenchmarks
{
    private const int Online = 10_000;
    private const int Asked = 1_000;

    private readonly CourseTracker _course = new();
    private readonly ConcurrentCourseTracker _concurrent = new();
    private InMemoryPresenceStore _store = null!;
    private string[] _asked = [];

    [GlobalSetup]
    public void Setup()
    {
        var userIds = BenchmarkIds.Users(Online);
        var connectionIds = BenchmarkIds.Connections(Online, seed: 4);
        _store = BenchmarkPresence.Store();

        Populate.OnePassEach(
            userIds,
            connectionIds,
            (u, c) => _course.Connect(u, c),
            (u, c) => _concurrent.Connect(u, c),
            (u, c) => _store.AddConnectionAsync(u, c).Sync());

        // Online and offline users interleaved, spread over the whole population.
        var offline = BenchmarkIds.Users(Asked / 2, "gone-");
        _asked = new string[Asked];
        for (var i = 0; i < Asked; i++)
        {
            _asked[i] = i % 2 == 0 ? userIds[i * (Online / Asked)] : offline[i / 2];
        }

        var found = _store.GetOnlineAsync(_asked).Sync().Count;
        if (found != Asked / 2 || _course.GetOnline(_asked).Count != found || _concurrent.GetOnline(_asked).Count != found)
        {
            throw new InvalidOperationException($"Expected {Asked / 2} of the asked users online; the store found {found}.");
        }
    }

    [Benchmark(Baseline = true, Description = "CourseTracker (lock, filter keys)")]
    public int Course_Lock() => _course.GetOnline(_asked).Count;

    [Benchmark(Description = "ConcurrentCourseTracker")]
    public int Course_Concurrent() => _concurrent.GetOnline(_asked).Count;

    [Benchmark(Description = "Ours: store GetOnlineAsync")]
    public int Ours_Store() => _store.GetOnlineAsync(_asked).Sync().Count;
}
