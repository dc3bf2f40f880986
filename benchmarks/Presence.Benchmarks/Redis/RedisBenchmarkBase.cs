using Presence.Benchmarks.Redis.Baselines;
using StackExchange.Redis;

namespace Presence.Benchmarks.Redis;

/// <summary>
/// Shared set-up of the Redis benchmarks: one server, one measured multiplexer, our store and the two
/// baselines each under its own key prefix; everything written is deleted in cleanup.
/// </summary>
public abstract class RedisBenchmarkBase
{
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];

    internal RedisBenchmarkServer Server { get; private set; } = null!;

    internal ConnectionMultiplexer Connection { get; private set; } = null!;

    internal RedisCommandCounter Counter { get; private set; } = null!;

    internal RedisBenchmarkPresence OurStore { get; private set; } = null!;

    internal NaiveSetsPresenceStore NaiveSets { get; private set; } = null!;

    internal JsonHashPresenceStore JsonHash { get; private set; } = null!;

    /// <summary>The key prefix of our store; another node of it uses the same one.</summary>
    internal string OursPrefix => "bench-ours-" + _runId;

    private string NaivePrefix => "bench-naive-" + _runId;

    private string JsonPrefix => "bench-json-" + _runId;

    /// <summary>Starts (or finds) the server and builds all three implementations.</summary>
    protected void StartRedis()
    {
        Server = RedisBenchmarkServer.Start();
        Connection = Server.Connect();
        Counter = new RedisCommandCounter(Connection);
        OurStore = new RedisBenchmarkPresence(Connection, OursPrefix);
        var database = Connection.GetDatabase();
        NaiveSets = new NaiveSetsPresenceStore(database, NaivePrefix);
        JsonHash = new JsonHashPresenceStore(database, JsonPrefix);
    }

    /// <summary>Deletes the keys this run wrote, disposes the store and stops a private server.</summary>
    protected void StopRedis()
    {
        OurStore.DisposeAsync().AsTask().GetAwaiter().GetResult();
        foreach (var prefix in new[] { OursPrefix, NaivePrefix, JsonPrefix })
        {
            Server.DeleteKeys(prefix);
        }

        Connection.Dispose();
        Server.Dispose();
    }

    /// <summary>
    /// Runs <paramref name="count"/> calls of <paramref name="work"/> with at most
    /// <paramref name="concurrency"/> in flight: that many workers, each awaiting its calls one by one.
    /// </summary>
    protected static Task RunConcurrentlyAsync(int count, int concurrency, Func<int, Task> work)
    {
        var workers = new Task[Math.Min(concurrency, count)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = WorkerAsync(w, workers.Length, count, work);
        }

        return Task.WhenAll(workers);
    }

    private static async Task WorkerAsync(int first, int step, int count, Func<int, Task> work)
    {
        for (var i = first; i < count; i += step)
        {
            await work(i).ConfigureAwait(false);
        }
    }
}
