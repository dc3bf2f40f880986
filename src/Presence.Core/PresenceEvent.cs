namespace Presence;

/// <summary>A change of a user's presence, decided by the store and published on the in-process event bus.</summary>
/// <param name="UserId">The user whose presence changed.</param>
/// <param name="Timestamp">When the store decided the change (UTC, the store's clock, so it orders across nodes).</param>
/// <param name="Version">
/// The user's presence version after the change: strictly increasing per user across every node and
/// every kind of change. Of two events about one user, the one with the higher version is the newer.
/// </param>
public abstract record PresenceEvent(string UserId, DateTimeOffset Timestamp, long Version);
