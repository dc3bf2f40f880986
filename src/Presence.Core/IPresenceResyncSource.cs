namespace Presence;

/// <summary>
/// Implemented by a store whose server can lose what the watchers were already told: a shared store
/// such as Redis, on <c>FLUSHALL</c>, a restart or a failover, or a link to it that dropped while
/// events were published. Once it has recovered it raises <see cref="ResyncRequested"/>, and the
/// transport sends every connection on this node its presence snapshot again (SignalR:
/// <c>presence:bulk-online</c>), which heals any event that was lost and any change the recovery made silently.
/// </summary>
/// <remarks>
/// The in-memory store never needs it. A custom store implements it when it can tell that its data
/// went back in time or its events may not have reached everyone (docs/custom-store.md).
/// </remarks>
public interface IPresenceResyncSource
{
    /// <summary>
    /// Raised, on a background thread, when this node's connections should get their snapshot again.
    /// Handlers must return quickly: start the work, do not block.
    /// </summary>
    event EventHandler? ResyncRequested;
}
