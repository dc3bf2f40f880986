namespace Presence;

/// <summary>An online user set a new status.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Timestamp">When the store decided the change (UTC).</param>
/// <param name="Status">The new status (<see cref="PresenceStatus"/>).</param>
/// <param name="Version">The user's presence version after the change.</param>
public sealed record UserStatusChanged(string UserId, DateTimeOffset Timestamp, string Status, long Version) : PresenceEvent(UserId, Timestamp, Version);
