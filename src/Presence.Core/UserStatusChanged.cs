namespace Presence;

/// <summary>An online user set a new status.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Timestamp">When the status changed (UTC).</param>
/// <param name="Status">The new status (<see cref="PresenceStatus"/>).</param>
public sealed record UserStatusChanged(string UserId, DateTimeOffset Timestamp, string Status) : PresenceEvent(UserId, Timestamp);
