using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>"Everyone sees everyone" over SignalR's Redis backplane: two nodes, each with tracked and ignored anonymous connections.</summary>
public sealed class EveryoneAcrossNodesTests
{
    private const string PresencePath = "/hubs/presence";

    private static async Task<TestApp> StartNodeAsync(string redis, string channelPrefix) => await TestApp.StartHostAsync(
        builder =>
        {
            builder.Services.AddPresence().AddEveryoneSeesEveryone();
            builder.Services.AddSignalR()
                .AddPresence(o => o.IgnoreAnonymousConnections = true)
                .AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(channelPrefix));
        },
        app => app.MapPresenceHub(PresencePath));

    [Fact]
    public async Task Tracked_connections_on_another_node_hear_and_anonymous_ones_on_either_node_do_not()
    {
        var redis = await TestRedis.EndpointAsync();
        var prefix = "everyone-" + Guid.NewGuid().ToString("N");
        await using var nodeA = await StartNodeAsync(redis, prefix);
        await using var nodeB = await StartNodeAsync(redis, prefix);
        await using var anonymousA = nodeA.CreateHostClient(PresencePath, userId: null);
        await using var anonymousB = nodeB.CreateHostClient(PresencePath, userId: null);
        await anonymousA.Connection.StartAsync();
        await anonymousB.Connection.StartAsync();
        await using var bob = await nodeB.ConnectHostAsync(PresencePath, "bob");

        await using var alice = await nodeA.ConnectHostAsync(PresencePath, "alice");

        // bob's own online crosses the backplane and may arrive after his bulk-online.
        var first = await bob.NextAsync();
        if (first.UserId == "bob")
        {
            first = await bob.NextAsync();
        }

        Assert.True(first.Method == PresenceHubMethods.Online && first.UserId == "alice", $"bob expected alice's online, got {first}");
        await alice.SetStatusAsync("away");
        await bob.ExpectAsync(PresenceHubMethods.Status, "alice");

        // Each reply is written after the events above reached that connection's node.
        await anonymousA.PingAsync();
        await anonymousB.PingAsync();
        Assert.False(anonymousA.TryPeekPending(out var heardA), $"the anonymous connection on node A heard {heardA}");
        Assert.False(anonymousB.TryPeekPending(out var heardB), $"the anonymous connection on node B heard {heardB}");
    }
}
