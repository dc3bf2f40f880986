namespace Presence.Internal;

/// <summary>An <see cref="IPresenceEventHandler"/> made of a delegate.</summary>
internal sealed class DelegateEventHandler(IServiceProvider services, Func<IServiceProvider, PresenceEvent, CancellationToken, ValueTask> handler)
    : IPresenceEventHandler
{
    public ValueTask HandleAsync(PresenceEvent presenceEvent, CancellationToken cancellationToken) =>
        handler(services, presenceEvent, cancellationToken);
}
