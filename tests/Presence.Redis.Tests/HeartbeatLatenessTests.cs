using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// Heartbeats under load: a node's heartbeats stay in its memory, so a storm of them renews every
/// lease without a round trip; a node whose lease renewals (which carry its heartbeats) reach Redis late says so.
/// </summary>
public sealed class HeartbeatLatenessTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABacklogOfManyFlushes_RenewsEveryLease_AndExpiresNoLiveConnection(bool cluster)
    {
        const int Connections = 5000;
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var prefix = TestRedis.NewPrefix("backlog");
        await using var redis = await TestRedis.ConnectAsync(cluster ? await TestRedis.ClusterConfigurationAsync() : await TestRedis.StandaloneConfigurationAsync());

        // Calls of 10 heartbeats: 5,000 pings at once are 500 script calls, far more than one call per shard.
        await using var store = new RedisPresenceStore(
            () => Task.FromResult<IConnectionMultiplexer>(redis),
            ownsConnection: false,
            new RedisPresenceStoreOptions { KeyPrefix = prefix, ExpiryShards = 16, HeartbeatBatchSize = 10 },
            new PresenceOptions { ConnectionTtl = TimeSpan.FromSeconds(30), HeartbeatInterval = TimeSpan.FromSeconds(25) },
            time,
            NullLogger.Instance);
        store.ServerClockOverride = () => time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Connections).Select(i => store.AddConnectionAsync($"u{i % 1000}", $"c{i}").AsTask()));
            for (var round = 0; round < 3; round++)
            {
                time.Advance(TimeSpan.FromSeconds(25));
                var pings = await Task.WhenAll(Enumerable.Range(0, Connections).Select(i => store.RefreshConnectionAsync($"u{i % 1000}", $"c{i}").AsTask()));
                Assert.All(pings, p => Assert.Equal(PresenceTransition.None, p));

                time.Advance(TimeSpan.FromSeconds(20)); // 45 s after the previous round: every lease not renewed would be gone
                var swept = await store.SweepExpiredAsync(10_000);
                Assert.Empty(swept.Users);
                Assert.Equal(0, swept.RemovedConnections);
            }

            Assert.Equal(new PresenceCounts(1000, Connections), await store.GetCountsAsync());
        }
        finally
        {
            await TestRedis.DeleteKeysAsync(redis, prefix);
        }
    }

    [Fact]
    public async Task LeaseRenewalsThatReachRedisLate_AreMeasured_AndLoggedAsAWarning()
    {
        await using var server = await RedisServerProcess.StartAsync();
        await using var redis = await TestRedis.ConnectAsync(server.EndPoint);
        await using var admin = await TestRedis.ConnectAsync(server.EndPoint);
        using var logs = new CapturingLoggerProvider();
        var delays = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == HeartbeatLateness.InstrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (delays)
            {
                delays.Add(value);
            }
        });
        listener.Start();

        // A lease of 2 s renewed every 500 ms leaves 1.5 s of slack: a warning once a renewal takes 375 ms.
        await using var store = new RedisPresenceStore(
            () => Task.FromResult<IConnectionMultiplexer>(redis),
            ownsConnection: false,
            new RedisPresenceStoreOptions { KeyPrefix = TestRedis.NewPrefix("late") },
            new PresenceOptions { ConnectionTtl = TimeSpan.FromSeconds(2), HeartbeatInterval = TimeSpan.FromSeconds(1) },
            TimeProvider.System,
            logs.CreateLogger("Presence.Redis"));
        await store.AddConnectionAsync("alice", "tab");
        Assert.Equal(PresenceTransition.None, await store.RefreshConnectionAsync("alice", "tab"));
        await store.CheckForDataLossAsync();
        Assert.False(logs.Has(2006));

        // Redis stops answering for 800 ms (a fork, a slow command, an overloaded master).
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "800", "ALL");
        Assert.Equal(PresenceTransition.None, await store.RefreshConnectionAsync("alice", "tab"));
        await store.CheckForDataLossAsync();

        // The renewal timer may be the one that logs (one warning per 10 s): wait for it.
        await TestRedis.WaitUntilAsync(() => Task.FromResult(logs.Has(2006)), "the late renewal to be logged");
        var warning = logs.Entries.First(e => e.EventId.Id == 2006);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Renewing this node's lease", warning.Message, StringComparison.Ordinal);
        lock (delays)
        {
            Assert.Contains(delays, d => d >= 0.5);
        }
    }
}
