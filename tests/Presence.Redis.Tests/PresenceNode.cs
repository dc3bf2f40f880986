using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Presence.Redis.Tests;

/// <summary>One app node wired the way a host wires it: AddPresence().AddRedisStore(...), with captured events and logs.</summary>
internal sealed class PresenceNode : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public PresenceNode(IConnectionMultiplexer redis, string keyPrefix, FakeTimeProvider time, PresenceOptions? options = null)
    {
        Time = time;
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddPresence(o =>
            {
                o.HeartbeatInterval = options?.HeartbeatInterval ?? TimeSpan.FromSeconds(25);
                o.ConnectionTtl = options?.ConnectionTtl ?? TimeSpan.FromSeconds(60);
                o.OfflineGracePeriod = options?.OfflineGracePeriod ?? TimeSpan.Zero;
            })
            .AddRedisStore(o =>
            {
                o.ConnectionMultiplexerFactory = () => Task.FromResult(redis);
                o.KeyPrefix = keyPrefix;
            })
            .AddEventHandler((_, e, _) =>
            {
                Events.Enqueue(e);
                return ValueTask.CompletedTask;
            });
        services.AddSingleton<TimeProvider>(time);
        _services = services.BuildServiceProvider();
        Tracker = _services.GetRequiredService<IPresenceTracker>();
        Store = _services.GetRequiredService<IPresenceStore>();
    }

    public CapturingLoggerProvider Logs { get; } = new();

    public ConcurrentQueue<PresenceEvent> Events { get; } = new();

    public FakeTimeProvider Time { get; }

    public IPresenceTracker Tracker { get; }

    public IPresenceStore Store { get; }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
