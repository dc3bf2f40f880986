using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Presence.Internal;

/// <summary>
/// Delivers each presence event to every registered <see cref="IPresenceEventHandler"/>, in
/// registration order. A failing handler is logged and skipped.
/// </summary>
internal sealed class PresenceEventBus(IServiceProvider services, ILogger<PresenceEventBus> logger)
{
    // Resolved on first use: a handler may itself depend on IPresenceTracker, which depends on the bus.
    private IPresenceEventHandler[]? _handlers;

    public async ValueTask PublishAsync(PresenceEvent presenceEvent, CancellationToken cancellationToken)
    {
        var handlers = _handlers ??= [.. services.GetServices<IPresenceEventHandler>()];
        foreach (var handler in handlers)
        {
            try
            {
                await handler.HandleAsync(presenceEvent, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // One handler's failure must not stop the others, the tracker or the sweep.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.EventHandlerFailed(logger, handler.GetType().FullName ?? handler.GetType().Name, presenceEvent.GetType().Name, exception);
            }
        }
    }
}
