using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Presence.Internal;

namespace Presence.Core.Tests.Support;

/// <summary>A started generic host running presence (and its sweeper) on a fake clock.</summary>
internal sealed class SweeperHost : IAsyncDisposable
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private SweeperHost(IHost host, FakeTimeProvider time, RecordingEventHandler events, CapturingLoggerProvider logs)
    {
        Host = host;
        Time = time;
        Events = events;
        Logs = logs;
    }

    public IHost Host { get; }

    public FakeTimeProvider Time { get; }

    public RecordingEventHandler Events { get; }

    public CapturingLoggerProvider Logs { get; }

    public IPresenceTracker Tracker => Host.Services.GetRequiredService<IPresenceTracker>();

    public PresenceSweeper Sweeper => Host.Services.GetServices<IHostedService>().OfType<PresenceSweeper>().Single();

    public static async Task<SweeperHost> StartAsync(Action<IPresenceBuilder>? configure = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var time = new FakeTimeProvider(PresenceTestContext.Start);
        var events = new RecordingEventHandler();
        var logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);

        // Registered before AddPresence, so presence keeps it instead of TimeProvider.System.
        builder.Services.AddSingleton<TimeProvider>(time);
        var presence = builder.Services.AddPresence(o =>
        {
            o.HeartbeatInterval = TimeSpan.FromSeconds(3);
            o.ConnectionTtl = Ttl;
            o.SweepInterval = SweepInterval;
        });
        configure?.Invoke(presence);
        presence.AddEventHandler((_, e, ct) => events.HandleAsync(e, ct));
        var result = new SweeperHost(builder.Build(), time, events, logs);
        await result.Host.StartAsync();
        return result;
    }

    /// <summary>Moves the clock by one sweep interval and waits until the sweep of that tick has finished.</summary>
    public async Task TickAsync()
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnFinished() => finished.TrySetResult();
        var sweeper = Sweeper;
        sweeper.SweepFinished += OnFinished;
        try
        {
            Time.Advance(SweepInterval);
            await finished.Task.WaitAsync(s_timeout);
        }
        finally
        {
            sweeper.SweepFinished -= OnFinished;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
