using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Presence.SignalR.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>
/// When the Redis store loses its data, or Redis comes back after an outage, every connection gets its
/// <c>presence:bulk-online</c> again once the store settled (<see cref="IPresenceResyncSource"/>): the
/// snapshot heals what no event could tell, such as a user who left while Redis was down. Kestrel, the
/// official .NET client and a redis-server of the test's own, on real clocks (short intervals).
/// </summary>
public sealed class ResyncTests : IAsyncLifetime
{
    private const string HubPath = "/hubs/presence";
    private PrivateRedis _redis = null!;

    public async Task InitializeAsync() => _redis = await PrivateRedis.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task After_a_flush_every_connection_gets_its_snapshot_again_with_everyone_still_connected()
    {
        await using var app = await StartAsync();
        await using var alice = await app.ConnectHostAsync(HubPath, "alice");
        await using var bob = await app.ConnectHostAsync(HubPath, "bob");
        await alice.ExpectAsync(PresenceHubMethods.Online, "bob");

        await using (var admin = await ConnectionMultiplexer.ConnectAsync($"{_redis.EndPoint},allowAdmin=true"))
        {
            await admin.GetServer(_redis.EndPoint).FlushAllDatabasesAsync();
        }

        foreach (var client in new[] { alice, bob })
        {
            var resync = await NextBulkOnlineAsync(client);
            Assert.Equal(["alice", "bob"], resync.Users.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task A_user_who_left_while_Redis_was_down_is_shown_offline_by_the_snapshot_once_Redis_is_back()
    {
        await using var app = await StartAsync();
        await using var bob = await app.ConnectHostAsync(HubPath, "bob");
        await using var carol = await app.ConnectHostAsync(HubPath, "carol");
        await bob.ExpectAsync(PresenceHubMethods.Online, "carol");

        // Carol's tab closes while Redis is down: her removal fails, and Redis comes back empty. No event
        // can say she left (the store never saw it); the restore leaves her out, and so does the snapshot.
        await _redis.StopAsync();
        await carol.Connection.StopAsync();
        await _redis.StartAgainAsync();

        // Bob's view, as the protocol's client keeps it, heals: the resync's snapshot leaves carol out (or, when
        // the node handled her close only once Redis was back, her offline arrives, from the grace it held).
        var view = new HashSet<string>(bob.BulkOnline, StringComparer.Ordinal);
        var resynced = false;
        while (!resynced || !view.SetEquals(["bob"]))
        {
            var message = await bob.NextAsync();
            switch (message.Method)
            {
                case PresenceHubMethods.BulkOnline:
                    resynced = true;
                    view = new HashSet<string>(message.Users, StringComparer.Ordinal);
                    break;
                case PresenceHubMethods.Online:
                    view.Add(message.UserId!);
                    break;
                case PresenceHubMethods.Offline:
                    view.Remove(message.UserId!);
                    break;
            }
        }
    }

    private static async Task<ReceivedMessage> NextBulkOnlineAsync(PresenceTestClient client)
    {
        ReceivedMessage message;
        do
        {
            message = await client.NextAsync();
        }
        while (message.Method != PresenceHubMethods.BulkOnline);

        return message;
    }

    private Task<TestApp> StartAsync() => TestApp.StartHostAsync(
        builder =>
        {
            builder.Services.AddPresence(o =>
                {
                    o.HeartbeatInterval = TimeSpan.FromSeconds(1);
                    o.ConnectionTtl = TimeSpan.FromSeconds(60); // the test clients do not ping
                    o.SweepInterval = TimeSpan.FromMilliseconds(250);
                    o.OfflineGracePeriod = TimeSpan.Zero;
                })
                .AddEveryoneSeesEveryone()
                .AddRedisStore(o => o.Configuration = $"{_redis.EndPoint},abortConnect=false,connectTimeout=2000,syncTimeout=2000");
            builder.Services.AddSignalR().AddPresence();
        },
        app => app.MapPresenceHub(HubPath));
}
