namespace Presence;

/// <summary>
/// Receives every presence event published on this node (register it with
/// <c>AddEventHandler&lt;T&gt;()</c> on the presence builder). Transports are handlers too.
/// </summary>
/// <remarks>
/// Handlers run one after another for each event. An exception thrown by one handler is logged
/// and does not stop the others, the tracker or the sweep. Keep handlers quick; queue slow work.
/// </remarks>
public interface IPresenceEventHandler
{
    /// <summary>Handles one presence event.</summary>
    /// <param name="presenceEvent">The event: <see cref="UserOnline"/>, <see cref="UserOffline"/>, or a later event type.</param>
    /// <param name="cancellationToken">Cancels the handling.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    ValueTask HandleAsync(PresenceEvent presenceEvent, CancellationToken cancellationToken);
}
