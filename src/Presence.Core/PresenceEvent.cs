namespace Presence;

/// <summary>A change of a user's presence, published on the in-process event bus.</summary>
/// <param name="UserId">The user whose presence changed.</param>
/// <param name="Timestamp">When the change happened (UTC).</param>
public abstract record PresenceEvent(string UserId, DateTimeOffset Timestamp);
