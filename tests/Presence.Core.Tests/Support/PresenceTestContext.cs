using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Presence.Core.Tests.Support;

/// <summary>
/// A service provider with presence on a fake clock, an event recorder and a log recorder. No host:
/// the sweeper does not run, tests call <see cref="IPresenceTracker.SweepAsync"/> themselves.
/// </summary>
internal sealed class PresenceTestContext : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    public PresenceTestContext(
        Action<IPresenceBuilder>? configure = null,
        Action<PresenceOptions>? options = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var services = new ServiceCollection();
        configureServices?.Invoke(services);
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(Time);
        var builder = services.AddPresence(o =>
        {
            o.HeartbeatInterval = TimeSpan.FromSeconds(3);
            o.ConnectionTtl = Ttl;
            options?.Invoke(o);
        });
        configure?.Invoke(builder);
        builder.AddEventHandler((_, e, ct) => Events.HandleAsync(e, ct));
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public RecordingEventHandler Events { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public ServiceProvider Services { get; }

    public IPresenceTracker Tracker => Services.GetRequiredService<IPresenceTracker>();

    public IPresenceStore Store => Services.GetRequiredService<IPresenceStore>();

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
