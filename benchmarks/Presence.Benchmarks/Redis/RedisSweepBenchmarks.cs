using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace Presence.Benchmarks.Redis;

/// <summary>
/// Sweeps of our Redis store at 100,000 connections (100,000 one-tab users), in the tracker's batches
/// of <see cref="PresenceOptions.SweepBatchSize"/>: reaping all of them once the node that held them
/// crashed and its lease ended (target: at most 1 s; the connections' leases live in their node's
/// memory, so a dead node's connections are the ones another node's sweep reaps), and a sweep that finds nothing expired while all of them are online (it should cost
/// the same at 100 or 100,000 online: O(expired), not O(online)). The store's test-only server clock
/// moves time past the lease instead of waiting. Set-up also prints Redis memory per tracked connection.
/// The baselines have nothing to compare: they never expire anyone.
/// </summary>
[MemoryDiagnoser]
public class RedisSweepBenchmarks : RedisBenchmarkBase
{
    private const int Connections = 100_000;

    private readonly int _batchSize = new PresenceOptions().SweepBatchSize;
    private readonly long _pastTtlMilliseconds = (long)(new PresenceOptions().ConnectionTtl + TimeSpan.FromSeconds(1)).TotalMilliseconds;
    private string[] _userIds = [];
    private string[] _connectionIds = [];
    private long _clock;

    [GlobalSetup(Target = nameof(SweepExpired))]
    public void SetupExpired() => Start();

    [GlobalSetup(Target = nameof(SweepIdle))]
    public void SetupIdle()
    {
        Start();
        var before = Server.UsedMemory();
        Fill();
        var bytes = (Server.UsedMemory() - before) / (double)Connections;
        Console.WriteLine($"// redis memory | {bytes.ToString("0", CultureInfo.InvariantCulture)} bytes of used_memory per tracked connection (one tab per user, {Connections} connections{(Server.IsPrivate ? "" : ", shared server: approximate")})");
    }

    [GlobalCleanup]
    public void Cleanup() => StopRedis();

    [IterationSetup(Target = nameof(SweepExpired))]
    public void FillAndExpire()
    {
        // The crashed node: it registers everyone, then stops without a goodbye; its lease ends one TTL later.
        var crashed = new RedisBenchmarkPresence(Connection, OursPrefix);
        crashed.Redis.ServerClockOverride = () => Volatile.Read(ref _clock);
        RunConcurrentlyAsync(Connections, 256, i => crashed.Store.AddConnectionAsync(_userIds[i], _connectionIds[i]).AsTask()).GetAwaiter().GetResult();
        crashed.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Volatile.Write(ref _clock, _clock + _pastTtlMilliseconds);
    }

    [Benchmark(Description = "Ours: sweep a crashed node's 100k connections")]
    public async Task<int> SweepExpired()
    {
        var removed = 0;
        SweepResult result;
        do
        {
            result = await OurStore.Store.SweepExpiredAsync(_batchSize).ConfigureAwait(false);
            removed += result.RemovedConnections;
        }
        while (result.HasMore);

        if (removed != Connections)
        {
            throw new InvalidOperationException($"The sweep removed {removed} connections; expected {Connections}.");
        }

        return removed;
    }

    [Benchmark(Description = "Ours: sweep, nothing expired, 100k online")]
    public async Task<int> SweepIdle()
    {
        var result = await OurStore.Store.SweepExpiredAsync(_batchSize).ConfigureAwait(false);
        if (result.RemovedConnections != 0 || result.HasMore)
        {
            throw new InvalidOperationException($"The idle sweep removed {result.RemovedConnections} connections; expected none.");
        }

        return result.RemovedConnections;
    }

    private void Start()
    {
        StartRedis();
        _userIds = BenchmarkIds.Users(Connections, "sweep-user-");
        _connectionIds = BenchmarkIds.Connections(Connections, seed: 63);
        _clock = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        OurStore.Redis.ServerClockOverride = () => Volatile.Read(ref _clock);
    }

    private void Fill() =>
        RunConcurrentlyAsync(Connections, 256, i => OurStore.Store.AddConnectionAsync(_userIds[i], _connectionIds[i]).AsTask()).GetAwaiter().GetResult();
}
