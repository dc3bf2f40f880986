namespace Presence.Redis.Internal;

/// <summary>Where a <see cref="LocalConnection"/> stands; changed with <see cref="Interlocked"/>, so a heartbeat and the sweep agree.</summary>
internal static class LocalConnectionState
{
    /// <summary>Its connect script has not answered yet.</summary>
    public const int Registering = 0;

    /// <summary>Counted in Redis under <see cref="LocalConnection.Lease"/>; a heartbeat only stamps <see cref="LocalConnection.LastSeen"/>.</summary>
    public const int Registered = 1;

    /// <summary>Taken by the sweep as expired, or closed: no longer counted once its script ran.</summary>
    public const int Gone = 2;
}
