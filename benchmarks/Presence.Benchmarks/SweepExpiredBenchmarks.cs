using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Time.Testing;
using Presence.Internal;

namespace Presence.Benchmarks;

/// <summary>
/// Reaping 100,000 expired connections (100,000 users, one tab each, all gone silent), in the
/// tracker's batches of <see cref="PresenceOptions.SweepBatchSize"/>. A fake clock expires them; each
/// iteration refills a fresh store. The baselines have nothing to compare: they never expire anyone.
/// </summary>
[MemoryDiagnoser]
public class SweepExpiredBenchmarks
{
    private const int Connections = 100_000;

    private readonly int _batchSize = new PresenceOptions().SweepBatchSize;
    private readonly TimeSpan _pastTtl = new PresenceOptions().ConnectionTtl + TimeSpan.FromSeconds(1);
    private string[] _userIds = [];
    private string[] _connectionIds = [];
    private InMemoryPresenceStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _userIds = BenchmarkIds.Users(Connections);
        _connectionIds = BenchmarkIds.Connections(Connections, seed: 6);
    }

    [IterationSetup]
    public void Refill()
    {
        var clock = new FakeTimeProvider();
        _store = BenchmarkPresence.Store(clock);
        for (var i = 0; i < Connections; i++)
        {
            _store.AddConnectionAsync(_userIds[i], _connectionIds[i]).Sync();
        }

        clock.Advance(_pastTtl);
    }

    [Benchmark(Description = "Ours: sweep 100k expired")]
    public int Ours_Store()
    {
        var removed = 0;
        SweepResult result;
        do
        {
            result = _store.SweepExpiredAsync(_batchSize).Sync();
            removed += result.RemovedConnections;
        }
        while (result.HasMore);

        if (removed != Connections)
        {
            throw new InvalidOperationException($"The sweep removed {removed} connections; expected {Connections}.");
        }

        return removed;
    }
}
