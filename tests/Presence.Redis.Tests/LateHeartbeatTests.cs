using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// A tab closes while its last ping is still on its way to Redis (SignalR runs OnDisconnectedAsync
/// without waiting for a running hub call, and the Redis store batches heartbeats). On two nodes
/// sharing one Redis, no closed connection may be registered again by its own late heartbeat:
/// every user's history is exactly online, offline, and nobody is left online.
/// </summary>
public sealed class LateHeartbeatTests : IAsyncLifetime
{
    private readonly string _keyPrefix = TestRedis.NewPrefix("late-ping");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<IConnectionMultiplexer> _connections = [];
    private readonly List<PresenceNode> _nodes = [];

    public async Task InitializeAsync()
    {
        foreach (var configuration in new[] { await TestRedis.StandaloneConfigurationAsync(), await TestRedis.StandaloneConfigurationAsync() })
        {
            var redis = await TestRedis.ConnectAsync(configuration);
            _connections.Add(redis);
            _nodes.Add(new PresenceNode(redis, _keyPrefix, _time));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await TestRedis.DeleteKeysAsync(_connections[0], _keyPrefix);
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task ClosingWithAPingInFlight_OnTwoNodes_NeverBringsTheConnectionBack()
    {
        const int Closes = 180;
        var users = Enumerable.Range(0, Closes).Select(i => $"u{i}").ToArray();

        await Task.WhenAll(users.Select(async (user, i) =>
        {
            var node = _nodes[i % _nodes.Count];
            var connection = $"{user}-tab";
            await node.Tracker.ConnectAsync(user, connection);

            // The ping is dispatched first but queued for the next heartbeat batch; the close runs at once.
            var ping = node.Tracker.PingAsync(user, connection).AsTask();
            await node.Tracker.DisconnectAsync(user, connection);
            await ping;
        }));

        Assert.Empty(await _nodes[0].Tracker.GetOnlineAsync(users));
        var events = _nodes.SelectMany(n => n.Events).GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Version).ToList());
        var resurrected = users.Where(u => events[u].Count != 2 || events[u][0] is not UserOnline || events[u][1] is not UserOffline).ToList();
        Assert.True(
            resurrected.Count == 0,
            $"{resurrected.Count} of {Closes} closes were followed by a late heartbeat's re-registration, e.g. {(resurrected.Count > 0 ? string.Join(", ", events[resurrected[0]]) : "")}.");
    }
}
