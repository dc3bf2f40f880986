using BenchmarkDotNet.Attributes;
namespace Presence.Benchmarks.Redis;

/// <summary>
/// Connect/disconnect churn on a real redis-server: every reload is a connect followed by a
/// disconnect of a one-tab user, so each operation is a full online or offline transition (the
/// expensive case for every design). One reported operation is one connect or one disconnect.
/// <see cref="Concurrency"/> is how many users reload at once from this process (1: pure latency,
/// one round trip after another; 32: a busy node, where StackExchange.Redis pipelines the requests).
/// Ours is one script call per operation; baseline (a) takes 3-4 awaited commands, baseline (b) 6.
/// The commands each operation sends and Redis executes are printed at set-up (<c>// commands per op</c>).
/// </summary>
[MemoryDiagnoser]
public class RedisChurnBenchmarks : RedisBenchmarkBase
{
    private const int Users = 256;
    private const int Operations = Users * 2;

    private string[] _userIds = [];
    private string[] _connectionIds = [];
    private int _wrongTransitions;
    private Func<string, string, Task<bool>> _connect = null!;
    private Func<string, string, Task<bool>> _disconnect = null!;

    [Params(1, 32)]
    public int Concurrency { get; set; }

    [GlobalSetup(Target = nameof(Ours))]
    public void SetupOurs()
    {
        StartRedis();
        Setup(
            "churn, ours (RedisPresenceStore)",
            async (u, c) => (await OurStore.Store.AddConnectionAsync(u, c).ConfigureAwait(false)).Change == PresenceChange.CameOnline,
            async (u, c) => (await OurStore.Store.RemoveConnectionAsync(u, c).ConfigureAwait(false)).Change == PresenceChange.WentOffline);
    }

    // Each store exists only after StartRedis, so its methods are bound afterwards.
    [GlobalSetup(Target = nameof(NaiveSetsBaseline))]
    public void SetupNaive()
    {
        StartRedis();
        Setup("churn, baseline (a) naive sets", NaiveSets.ConnectAsync, NaiveSets.DisconnectAsync);
    }

    [GlobalSetup(Target = nameof(JsonHashBaseline))]
    public void SetupJson()
    {
        StartRedis();
        Setup("churn, baseline (b) JSON in a hash", JsonHash.ConnectAsync, JsonHash.DisconnectAsync);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        StopRedis();
        if (_wrongTransitions > 0)
        {
            throw new InvalidOperationException($"{_wrongTransitions} connects or disconnects of one-tab users reported no transition.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "Baseline (a): naive sets")]
    public Task NaiveSetsBaseline() => ChurnAsync();

    [Benchmark(OperationsPerInvoke = Operations, Description = "Baseline (b): JSON in a hash")]
    public Task JsonHashBaseline() => ChurnAsync();

    [Benchmark(OperationsPerInvoke = Operations, Description = "Ours: RedisPresenceStore")]
    public Task Ours() => ChurnAsync();

    private void Setup(string label, Func<string, string, Task<bool>> connect, Func<string, string, Task<bool>> disconnect)
    {
        _userIds = BenchmarkIds.Users(Users, "churn-user-");
        _connectionIds = BenchmarkIds.Connections(Users, seed: 61);
        _connect = connect;
        _disconnect = disconnect;

        // Warm the script cache and the connection first, then count one reload per user.
        ChurnAsync().GetAwaiter().GetResult();
        Counter.MeasureAsync(Server, label + ", connect", Users, () => RunConcurrentlyAsync(Users, 1, i => _connect(_userIds[i], _connectionIds[i])))
            .GetAwaiter().GetResult();
        Counter.MeasureAsync(Server, label + ", disconnect", Users, () => RunConcurrentlyAsync(Users, 1, i => _disconnect(_userIds[i], _connectionIds[i])))
            .GetAwaiter().GetResult();
    }

    private Task ChurnAsync() => RunConcurrentlyAsync(Users, Concurrency, async i =>
    {
        var userId = _userIds[i];
        var connectionId = _connectionIds[i];
        if (!await _connect(userId, connectionId).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _wrongTransitions);
        }

        if (!await _disconnect(userId, connectionId).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _wrongTransitions);
        }
    });
}
