using BenchmarkDotNet.Attributes;

namespace Presence.Benchmarks.Redis;

/// <summary>
/// Heartbeat throughput from one process on a real redis-server: 10,000 registered connections,
/// each pinging once per invocation with <see cref="InFlight"/> pings outstanding at a time
/// (10,000: a ping storm, every connection at once; 100: a steady trickle). Ours queues each ping
/// and sends whatever queued while the previous flush was in flight as one script call per shard;
/// the baselines send one (a: <c>SADD</c>) or two (b: HGET + HSET of the connection's JSON record)
/// commands per ping, which StackExchange.Redis still pipelines. The reported time is per ping, so
/// pings per second = 1 / Mean. Target: ours at least 200,000 per second.
/// </summary>
[MemoryDiagnoser]
public class RedisHeartbeatBenchmarks : RedisBenchmarkBase
{
    private const int Connections = 10_000;

    private string[] _userIds = [];
    private string[] _connectionIds = [];
    private int _unexpectedChanges;
    private Func<int, Task> _ping = null!;

    [Params(100, 10_000)]
    public int InFlight { get; set; }

    [GlobalSetup(Target = nameof(Ours))]
    public void SetupOurs()
    {
        Setup();
        Fill(i => OurStore.Store.AddConnectionAsync(_userIds[i], _connectionIds[i]).AsTask());
        _ping = PingOursAsync;
        Measure("heartbeat, ours (RedisPresenceStore)");
    }

    [GlobalSetup(Target = nameof(NaiveSetsBaseline))]
    public void SetupNaive()
    {
        Setup();
        Fill(i => NaiveSets.ConnectAsync(_userIds[i], _connectionIds[i]));
        _ping = i => NaiveSets.HeartbeatAsync(_userIds[i], _connectionIds[i]);
        Measure("heartbeat, baseline (a) naive sets");
    }

    [GlobalSetup(Target = nameof(JsonHashBaseline))]
    public void SetupJson()
    {
        Setup();
        Fill(i => JsonHash.ConnectAsync(_userIds[i], _connectionIds[i]));
        _ping = i => JsonHash.HeartbeatAsync(_userIds[i], _connectionIds[i]);
        Measure("heartbeat, baseline (b) JSON in a hash");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        StopRedis();
        if (_unexpectedChanges > 0)
        {
            throw new InvalidOperationException($"{_unexpectedChanges} heartbeats of registered connections reported a presence change.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Connections, Description = "Baseline (a): naive sets, SADD per ping")]
    public Task NaiveSetsBaseline() => RunConcurrentlyAsync(Connections, InFlight, _ping);

    [Benchmark(OperationsPerInvoke = Connections, Description = "Baseline (b): JSON in a hash, HGET+HSET per ping")]
    public Task JsonHashBaseline() => RunConcurrentlyAsync(Connections, InFlight, _ping);

    [Benchmark(OperationsPerInvoke = Connections, Description = "Ours: batched RefreshConnectionAsync")]
    public Task Ours() => RunConcurrentlyAsync(Connections, InFlight, _ping);

    private async Task PingOursAsync(int i)
    {
        if ((await OurStore.Store.RefreshConnectionAsync(_userIds[i], _connectionIds[i]).ConfigureAwait(false)).Change != PresenceChange.None)
        {
            Interlocked.Increment(ref _unexpectedChanges);
        }
    }

    private void Setup()
    {
        StartRedis();
        _userIds = BenchmarkIds.Users(Connections, "heartbeat-user-");
        _connectionIds = BenchmarkIds.Connections(Connections, seed: 62);
    }

    private static void Fill(Func<int, Task> connect) =>
        RunConcurrentlyAsync(Connections, 256, connect).GetAwaiter().GetResult();

    private void Measure(string label)
    {
        RunConcurrentlyAsync(Connections, InFlight, _ping).GetAwaiter().GetResult();
        Counter.MeasureAsync(Server, $"{label}, {InFlight} in flight", Connections, () => RunConcurrentlyAsync(Connections, InFlight, _ping))
            .GetAwaiter().GetResult();
    }
}
