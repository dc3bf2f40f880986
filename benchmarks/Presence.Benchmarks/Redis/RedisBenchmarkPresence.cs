using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Presence.Redis.Internal;
using StackExchange.Redis;

namespace Presence.Benchmarks.Redis;

/// <summary>Our Redis store, resolved from <c>AddPresence().AddRedisStore(...)</c> as an app gets it.</summary>
internal sealed class RedisBenchmarkPresence : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public RedisBenchmarkPresence(IConnectionMultiplexer connection, string keyPrefix)
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddPresence()
            .AddRedisStore(o =>
            {
                // The benchmark's own multiplexer, so its commands can be profiled; the store does not dispose it.
                o.ConnectionMultiplexerFactory = () => Task.FromResult(connection);
                o.KeyPrefix = keyPrefix;
            });
        _services = services.BuildServiceProvider();
        Store = _services.GetRequiredService<IPresenceStore>();
        Redis = (RedisPresenceStore)Store;
    }

    public IPresenceStore Store { get; }

    /// <summary>The concrete store, for the test-only server clock (sweeps expire leases without waiting).</summary>
    public RedisPresenceStore Redis { get; }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
