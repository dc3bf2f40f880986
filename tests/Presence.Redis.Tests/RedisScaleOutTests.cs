using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Presence.Redis.Internal;
using Presence.SignalR;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>
/// <c>AddSignalR().AddPresence().AddRedisScaleOut(...)</c>: one connection for the store, the
/// backplane and the app; two in-process Kestrel nodes on one Redis hear each other, and an app
/// with another key prefix on the same Redis hears nothing.
/// </summary>
public sealed class RedisScaleOutTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AddRedisScaleOut_SharesOneConnection_BetweenStoreBackplaneAndApp()
    {
        var configuration = await TestRedis.StandaloneConfigurationAsync();
        var prefix = TestRedis.NewPrefix("scaleout");
        var services = new ServiceCollection().AddLogging();
        services.AddSignalR().AddPresence().AddRedisScaleOut(configuration, o => o.KeyPrefix = prefix);
        await using var provider = services.BuildServiceProvider();

        var shared = provider.GetRequiredService<IConnectionMultiplexer>();
        var backplane = provider.GetRequiredService<IOptions<RedisOptions>>().Value.ConnectionFactory;
        Assert.NotNull(backplane);
        Assert.Same(shared, await backplane(TextWriter.Null));
        Assert.IsType<RedisHubLifetimeManager<PresenceHub>>(provider.GetRequiredService<HubLifetimeManager<PresenceHub>>());

        var store = Assert.IsType<RedisPresenceStore>(provider.GetRequiredService<IPresenceStore>());
        var before = shared.OperationCount;
        Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync("alice", "a1")).Change);
        Assert.True(shared.OperationCount > before, "The store's commands go through the shared connection.");
        Assert.Equal(PresenceChange.WentOffline, (await store.RemoveConnectionAsync("alice", "a1")).Change);
        await TestRedis.DeleteKeysAsync(shared, prefix);
    }

    [Fact]
    public async Task AddRedisScaleOut_ConfigurationOptions_KeepsAChannelPrefixTheyName()
    {
        var options = ConfigurationOptions.Parse(await TestRedis.StandaloneConfigurationAsync());
        options.ChannelPrefix = RedisChannel.Literal("mine:");
        var services = new ServiceCollection().AddLogging();
        services.AddSignalR().AddRedisScaleOut(options, o => o.KeyPrefix = TestRedis.NewPrefix("scaleout"));
        await using var provider = services.BuildServiceProvider();

        var shared = provider.GetRequiredService<IConnectionMultiplexer>();
        Assert.Contains("channelPrefix=mine:", shared.Configuration, StringComparison.Ordinal);
        Assert.IsType<RedisPresenceStore>(provider.GetRequiredService<IPresenceStore>());
    }

    [Fact]
    public void BadArguments_ThrowAndRegisterNothing()
    {
        var services = new ServiceCollection();
        var signalR = services.AddSignalR();
        var registered = services.Count;

        Assert.Throws<ArgumentNullException>(() => signalR.AddRedisScaleOut((string)null!));
        Assert.Throws<ArgumentException>(() => signalR.AddRedisScaleOut("  "));
        Assert.Throws<ArgumentNullException>(() => signalR.AddRedisScaleOut((ConfigurationOptions)null!));
        Assert.Throws<ArgumentNullException>(() => ((ISignalRServerBuilder)null!).AddRedisScaleOut("127.0.0.1:6379"));
        Assert.Equal(registered, services.Count);
    }

    [Fact]
    public async Task ABadKeyPrefix_FailsWhenTheConnectionIsResolved_NamingTheOption()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSignalR().AddRedisScaleOut(await TestRedis.StandaloneConfigurationAsync(), o => o.KeyPrefix = "{tag}");
        await using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IConnectionMultiplexer>());
        Assert.Contains("RedisPresenceStoreOptions.KeyPrefix", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoNodes_HearEachOther_ThroughTheBackplane_AndAnotherAppOnTheSameRedisHearsNothing()
    {
        var configuration = await TestRedis.StandaloneConfigurationAsync();
        var prefix = TestRedis.NewPrefix("scaleout");
        var otherPrefix = TestRedis.NewPrefix("scaleout-other");
        await using var nodeA = await Node.StartAsync(configuration, prefix);
        await using var nodeB = await Node.StartAsync(configuration, prefix);
        await using var otherApp = await Node.StartAsync(configuration, otherPrefix);

        await using var carol = await otherApp.ConnectAsync("carol");
        await using var bob = await nodeB.ConnectAsync("bob");
        await using var alice = await nodeA.ConnectAsync("alice");

        await bob.WaitForAsync("online", "alice");
        Assert.Contains("bob", alice.Bulk);

        // carol's own app delivers dave after anything it could have received about alice.
        await using var dave = await otherApp.ConnectAsync("dave");
        await carol.WaitForAsync("online", "dave");
        Assert.DoesNotContain(carol.Received, m => m.UserId is "alice" or "bob");

        // Because the backplane's channels carry the key prefix.
        var server = (await TestRedis.StandaloneAsync()).GetServers()[0];
        Assert.NotEmpty(await server.SubscriptionChannelsAsync(RedisChannel.Pattern(prefix + ":*")));

        await alice.DisposeAsync();
        await bob.WaitForAsync("offline", "alice");
        Assert.Single(bob.Received, m => m.Kind == "offline" && m.UserId == "alice");
        await TestRedis.DeleteKeysAsync(await TestRedis.StandaloneAsync(), prefix);
        await TestRedis.DeleteKeysAsync(await TestRedis.StandaloneAsync(), otherPrefix);
    }

    /// <summary>A minimal host: everyone sees everyone, the user id is the <c>user</c> query parameter.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Uri _hub;

        private Node(WebApplication app, Uri hub)
        {
            _app = app;
            _hub = hub;
        }

        public static async Task<Node> StartAsync(string redis, string keyPrefix)
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton<IUserIdProvider, QueryUserIdProvider>();
            builder.Services.AddPresence().AddEveryoneSeesEveryone();
            builder.Services.AddSignalR().AddPresence().AddRedisScaleOut(redis, o => o.KeyPrefix = keyPrefix);
            var app = builder.Build();
            app.MapPresenceHub("/hubs/presence");
            await app.StartAsync();
            var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Node(app, new Uri(new Uri(address), "/hubs/presence"));
        }

        public async Task<Client> ConnectAsync(string userId)
        {
            var client = new Client(new HubConnectionBuilder().WithUrl(new Uri(_hub, $"?user={Uri.EscapeDataString(userId)}")).Build());
            await client.Connection.StartAsync();
            await client.WaitForAsync("bulk", null);
            return client;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class Client : IAsyncDisposable
    {
        private readonly ConcurrentQueue<(string Kind, string? UserId)> _received = new();
        private readonly SemaphoreSlim _arrived = new(0);

        public Client(HubConnection connection)
        {
            Connection = connection;
            connection.On<JsonElement>(PresenceHubMethods.Online, p => Record("online", p.GetProperty("userId").GetString()));
            connection.On<JsonElement>(PresenceHubMethods.Offline, p => Record("offline", p.GetProperty("userId").GetString()));
            connection.On<JsonElement>(PresenceHubMethods.BulkOnline, p =>
            {
                Bulk = [.. p.GetProperty("users").EnumerateArray().Select(u => u.GetString()!)];
                Record("bulk", null);
            });
        }

        public HubConnection Connection { get; }

        public string[] Bulk { get; private set; } = [];

        public IReadOnlyList<(string Kind, string? UserId)> Received => [.. _received];

        public async Task WaitForAsync(string kind, string? userId)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (!_received.Any(m => m.Kind == kind && m.UserId == userId))
            {
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero || !await _arrived.WaitAsync(remaining))
                {
                    throw new TimeoutException($"No {kind} {userId} within {Patience.TotalSeconds} s; received: {string.Join("; ", _received)}");
                }
            }
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();

        private void Record(string kind, string? userId)
        {
            _received.Enqueue((kind, userId));
            _arrived.Release();
        }
    }

    private sealed class QueryUserIdProvider : IUserIdProvider
    {
        public string? GetUserId(HubConnectionContext connection) =>
            connection.GetHttpContext()?.Request.Query["user"].ToString() is { Length: > 0 } user ? user : null;
    }
}
