using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Time.Testing;
using Presence.Internal;

namespace Presence.Benchmarks;

/// <summary>
/// The sweep that runs every second when nothing expired: it should cost the same at 10,000 and
/// 100,000 online (it only peeks at each expiry list's head). The fake clock never moves, so no
/// lease runs out however long the run takes.
/// </summary>
[MemoryDiagnoser]
public class SweepIdleBenchmarks
{
    private readonly int _batchSize = new PresenceOptions().SweepBatchSize;
    private InMemoryPresenceStore _store = null!;

    [Params(10_000, 100_000)]
    public int Online { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = BenchmarkPresence.Store(new FakeTimeProvider());
        var userIds = BenchmarkIds.Users(Online);
        var connectionIds = BenchmarkIds.Connections(Online, seed: 7);
        for (var i = 0; i < Online; i++)
        {
            _store.AddConnectionAsync(userIds[i], connectionIds[i]).Sync();
        }
    }

    [Benchmark(Description = "Ours: sweep, nothing expired")]
    public int Ours_Store() => _store.SweepExpiredAsync(_batchSize).Sync().RemovedConnections;
}
