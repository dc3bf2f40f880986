using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Presence.SignalR.Internal;

/// <summary>
/// Sends every tracked connection of <typeparamref name="THub"/> on this node its
/// <c>presence:bulk-online</c> again when the store asks for it (<see cref="IPresenceResyncSource"/>:
/// it recovered from data loss, or its link came back). The snapshot replaces the client's view, so
/// an event lost meanwhile, or a change the recovery made silently, is healed without a reconnect.
/// One read per user (their connections share the snapshot), a few users at a time; a request that
/// comes while a resync runs starts one more after it.
/// </summary>
/// <typeparam name="THub">The hub whose connections get the snapshot.</typeparam>
internal sealed class PresenceResync<THub>(
    IPresenceStore store,
    IPresenceTracker tracker,
    IInterestResolver interestResolver,
    IHubContext<THub> hubContext,
    PresenceConnections connections,
    IOptions<PresenceOptions> presenceOptions,
    ILogger<PresenceResync<THub>> logger) : IHostedService, IDisposable
    where THub : Hub
{
    private const int Parallelism = 4;

    private readonly long _heartbeatIntervalMs = (long)presenceOptions.Value.HeartbeatInterval.TotalMilliseconds;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Task _running = Task.CompletedTask;
    private bool _active;
    private bool _again;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is IPresenceResyncSource source)
        {
            source.ResyncRequested += OnResyncRequested;
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (store is IPresenceResyncSource source)
        {
            source.ResyncRequested -= OnResyncRequested;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        Task running;
        lock (_lock)
        {
            running = _running;
        }

        await running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>Sends every tracked connection of the hub on this node its snapshot again, now.</summary>
    internal async Task ResyncAsync(CancellationToken cancellationToken)
    {
        var byUser = connections.ByUser(typeof(THub));
        var sent = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(byUser, options, async (pair, token) =>
        {
            try
            {
                var visible = await PresenceSnapshot.ReadAsync(tracker, interestResolver, pair.Key, token).ConfigureAwait(false);
                var message = PresenceMaps.BulkOnline(visible, _heartbeatIntervalMs);
                await hubContext.Clients.Clients(pair.Value).SendAsync(PresenceHubMethods.BulkOnline, message, token).ConfigureAwait(false);
                Interlocked.Add(ref sent, pair.Value.Count);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
            {
                Log.ResyncFailed(logger, pair.Key, exception);
            }
        }).ConfigureAwait(false);
        Log.Resynced(logger, sent, byUser.Count);
    }

    private void OnResyncRequested(object? sender, EventArgs e)
    {
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (_active)
            {
                _again = true;
                return;
            }

            _active = true;
            _running = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            try
            {
                await ResyncAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }

            lock (_lock)
            {
                if (!_again || _stopping.IsCancellationRequested)
                {
                    _active = false;
                    return;
                }

                _again = false;
            }
        }
    }
}
