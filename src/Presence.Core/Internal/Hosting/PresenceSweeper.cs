using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Presence.Internal;

/// <summary>
/// The background service that expires dead connections every <see cref="PresenceOptions.SweepInterval"/>,
/// on the injected <see cref="TimeProvider"/>. A failed sweep is logged and retried on the next tick.
/// </summary>
internal sealed class PresenceSweeper(
    IPresenceTracker tracker,
    TimeProvider timeProvider,
    SweepState sweepState,
    IOptions<PresenceOptions> options,
    ILogger<PresenceSweeper> logger) : BackgroundService
{
    private readonly TimeSpan _interval = options.Value.SweepInterval;
    private PeriodicTimer? _timer;

    /// <summary>Completes each time a sweep finishes (successfully or not). Lets tests wait for a tick without sleeping.</summary>
    internal event Action? SweepFinished;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Since .NET 10 all of ExecuteAsync runs on the thread pool. Creating the timer here starts the
        // sweep schedule when the host starts, not whenever that thread gets to run (a test advancing a
        // fake clock right after StartAsync would otherwise race it).
        _timer ??= new PeriodicTimer(_interval, timeProvider);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = _timer ??= new PeriodicTimer(_interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await tracker.SweepAsync(stoppingToken).ConfigureAwait(false);
                    sweepState.Succeeded();
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (PresenceStoreUnavailableException)
                {
                    // The tracker logged the outage once (1009 StoreUnavailable); the next tick tries again.
                    sweepState.Failed();
                }
#pragma warning disable CA1031 // The sweeper must outlive a store outage.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    sweepState.Failed();
                    Log.SweepFailed(logger, _interval, exception);
                }

                SweepFinished?.Invoke();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // A clean stop says goodbye for this node's connections, so peers see "disconnected" now
        // rather than "expired" a TTL later.
        if (tracker is PresenceTracker presenceTracker)
        {
            try
            {
                await presenceTracker.DisconnectLocalConnectionsAsync(cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Shutdown must go on; the survivors' sweep will expire what we could not remove.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.ShutdownDisconnectFailed(logger, exception);
            }
        }
    }
}
