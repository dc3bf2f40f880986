using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Presence.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Presence.Redis.Tests;

/// <summary>AddRedisStore overloads, start-up validation, and disposal.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public async Task EveryOverload_RegistersAWorkingRedisStore()
    {
        var configuration = await TestRedis.StandaloneConfigurationAsync();
        var shared = await TestRedis.StandaloneAsync();
        var registrations = new Action<IServiceCollection>[]
        {
            s => s.AddPresence().AddRedisStore(configuration),
            s => s.AddPresence().AddRedisStore(ConfigurationOptions.Parse(configuration)),
            s => s.AddSingleton(shared).AddPresence().AddRedisStore(),
            s => s.AddPresence().AddRedisStore(o => o.ConnectionMultiplexerFactory = () => Task.FromResult(shared)),
            s => s.AddKeyedSingleton("presence", shared).AddPresence().AddRedisStore(sp => sp.GetRequiredKeyedService<IConnectionMultiplexer>("presence")),
        };

        foreach (var register in registrations)
        {
            var prefix = TestRedis.NewPrefix("di");
            var services = new ServiceCollection().AddLogging();
            register(services);
            services.Configure<RedisPresenceStoreOptions>(o => o.KeyPrefix = prefix);
            await using var provider = services.BuildServiceProvider();

            var store = Assert.IsType<RedisPresenceStore>(provider.GetRequiredService<IPresenceStore>());
            Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync("alice", "a1")).Change);
            Assert.True(await provider.GetRequiredService<IPresenceTracker>().IsOnlineAsync("alice"));
            Assert.Equal(PresenceChange.WentOffline, (await store.RemoveConnectionAsync("alice", "a1")).Change);
            await TestRedis.DeleteKeysAsync(shared, prefix);
        }

        // The store disposed a connection it created, never the shared one.
        Assert.True(shared.IsConnected);
    }

    [Fact]
    public async Task AMultiplexerFromTheContainer_IsUsedAsIs_AndOutlivesTheStore()
    {
        // Registered the way .NET Aspire's AddRedisClient does: the app owns it.
        var own = await TestRedis.ConnectAsync(await TestRedis.StandaloneConfigurationAsync());
        var prefix = TestRedis.NewPrefix("di-own");
        var calls = 0;
        var services = new ServiceCollection().AddLogging().AddSingleton(own);
        services.AddPresence().AddRedisStore(sp => { calls++; return sp.GetRequiredService<IConnectionMultiplexer>(); }, o => o.KeyPrefix = prefix);
        await using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IPresenceStore>();
            Assert.Equal(0, calls);
            Assert.Equal(PresenceChange.CameOnline, (await store.AddConnectionAsync("alice", "a1")).Change);
            await store.AddConnectionAsync("alice", "a2");
            Assert.Equal(1, calls);
            Assert.Equal(1, await own.GetDatabase().HashLengthAsync(((RedisPresenceStore)store).Keys.ForUser("alice").Users));
        }

        Assert.True(own.IsConnected);
        await own.GetDatabase().PingAsync();
        await TestRedis.DeleteKeysAsync(own, prefix);
        await own.DisposeAsync();
    }

    [Fact]
    public async Task AMultiplexerFactory_AndAConnectionStringTogether_FailWhenTheStoreIsBuilt()
    {
        var shared = await TestRedis.StandaloneAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddPresence().AddRedisStore(_ => shared, o => o.Configuration = "localhost:1");
        await using var provider = services.BuildServiceProvider();
        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IPresenceStore>());
        Assert.Contains("RedisPresenceStoreOptions.Configuration", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{tag}", "KeyPrefix")]
    [InlineData("has space", "KeyPrefix")]
    [InlineData("", "KeyPrefix")]
    public async Task ABadKeyPrefix_FailsHostStart_NamingTheOption(string prefix, string option)
    {
        var exception = await StartWithAsync(o => o.KeyPrefix = prefix);
        Assert.Contains($"RedisPresenceStoreOptions.{option}", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1000, "ExpiryShards")]
    [InlineData(2000, 1000, "ExpiryShards")]
    [InlineData(16, 0, "HeartbeatBatchSize")]
    public async Task OutOfRangeNumbers_FailHostStart_NamingTheOption(int shards, int batch, string option)
    {
        var exception = await StartWithAsync(o =>
        {
            o.ExpiryShards = shards;
            o.HeartbeatBatchSize = batch;
        });
        Assert.Contains($"RedisPresenceStoreOptions.{option}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoConnectionSources_FailHostStart()
    {
        var exception = await StartWithAsync(o =>
        {
            o.Configuration = "127.0.0.1:1";
            o.ConfigurationOptions = new ConfigurationOptions();
        });
        Assert.Contains("Set only one of", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoConnectionSourceAndNoMultiplexerInTheContainer_IsAClearError()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPresence().AddRedisStore();
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IPresenceStore>());
        Assert.Contains("register an IConnectionMultiplexer", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOverloads_RejectNullAndEmptyArguments()
    {
        var builder = new ServiceCollection().AddPresence();
        Assert.Throws<ArgumentException>(() => builder.AddRedisStore(" "));
        Assert.Throws<ArgumentNullException>(() => builder.AddRedisStore((string)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddRedisStore((ConfigurationOptions)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddRedisStore((Action<RedisPresenceStoreOptions>)null!));
    }

    [Fact]
    public async Task AfterDisposal_EveryCallThrowsObjectDisposed()
    {
        var store = TestRedis.CreateStore(await TestRedis.StandaloneAsync(), TestRedis.NewPrefix("disposed"), TimeProvider.System, clock: null);
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.AddConnectionAsync("u", "c").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.RefreshConnectionAsync("u", "c").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.RemoveConnectionAsync("u", "c").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.SweepExpiredAsync(10).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetCountsAsync().AsTask());
    }

    private static async Task<OptionsValidationException> StartWithAsync(Action<RedisPresenceStoreOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddPresence().AddRedisStore(configure);
        using var host = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }
}
