using Presence.Redis.Internal;
using Microsoft.Extensions.Time.Testing;
using Presence.Testing;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// Three nodes, each with its own Redis connection and its own (skewed) clock, race connects,
/// disconnects, heartbeats and sweeps on the same few users. Per user the reported transitions
/// must alternate — no duplicate or missing online/offline — and the final state must equal the model.
/// </summary>
public sealed class MultiNodeRaceTests : IAsyncLifetime
{
    private readonly List<IConnectionMultiplexer> _connections = [];
    private static readonly TimeSpan RenewalStep = TimeSpan.FromSeconds(10);

    private readonly List<IAsyncDisposable> _stores = [];
    private readonly string _keyPrefix = TestRedis.NewPrefix("race");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (_connections.Count > 0)
        {
            await TestRedis.DeleteKeysAsync(_connections[0], _keyPrefix);
        }

        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(false, 11, false)]
    [InlineData(false, 4242, false)]
    [InlineData(true, 97, false)]
    [InlineData(false, 2026, true)]
    [InlineData(true, 7, true)]
    public async Task ThreeNodesRacingOnTheSameUsers_ReportEachTransitionExactlyOnce(bool cluster, int seed, bool withGrace)
    {
        var configuration = cluster ? await TestRedis.ClusterConfigurationAsync() : await TestRedis.StandaloneConfigurationAsync();
        var redisClock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new PresenceOptions
        {
            ConnectionTtl = TimeSpan.FromSeconds(60),
            HeartbeatInterval = TimeSpan.FromSeconds(25),
            OfflineGracePeriod = withGrace ? TimeSpan.FromSeconds(10) : TimeSpan.Zero,
        };
        var nodes = new List<IPresenceStore>();
        var nodeClocks = new List<FakeTimeProvider>();
        foreach (var skew in new[] { TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(-1) })
        {
            var connection = await TestRedis.ConnectAsync(configuration);
            _connections.Add(connection);
            var nodeClock = new FakeTimeProvider(redisClock.GetUtcNow() + skew);
            nodeClocks.Add(nodeClock);
            var store = TestRedis.CreateStore(connection, _keyPrefix, nodeClock, clock: redisClock, options);
            _stores.Add(store);
            nodes.Add(store);
        }

        var ids = Guid.NewGuid().ToString("N")[..8];
        var scenario = new PresenceConcurrencyScenario
        {
            Seed = seed,
            Threads = 6,
            OperationsPerThread = 700,
            Users = 4,
            Ttl = options.ConnectionTtl,
            Grace = options.OfflineGracePeriod,
            NewUserId = name => $"race-{ids}-u-{name}",
            NewConnectionId = name => $"race-{ids}-c-{name}",
            AdvanceTime = async by =>
            {
                // Every node is alive: its clock moves with Redis's, and its lease is renewed as its timer would.
                for (var left = by; left > TimeSpan.Zero; left -= RenewalStep)
                {
                    var step = left < RenewalStep ? left : RenewalStep;
                    redisClock.Advance(step);
                    foreach (var nodeClock in nodeClocks)
                    {
                        nodeClock.Advance(step);
                    }

                    foreach (var node in _stores.OfType<RedisPresenceStore>())
                    {
                        await node.CheckForDataLossAsync();
                    }
                }
            },
        };

        var routed = new RoutedNodes(nodes);
        var model = await scenario.RunAsync(routed);

        Assert.Equal(model, await routed.GetCountsAsync());
    }
}
