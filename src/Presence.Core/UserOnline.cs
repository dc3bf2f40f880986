namespace Presence;

/// <summary>The user went from no live connection to at least one.</summary>
/// <param name="UserId">The user who came online.</param>
/// <param name="Timestamp">When the store decided the user came online (UTC).</param>
/// <param name="Version">The user's presence version after the change.</param>
public sealed record UserOnline(string UserId, DateTimeOffset Timestamp, long Version) : PresenceEvent(UserId, Timestamp, Version);
