namespace Presence;

/// <summary>The user went from no live connection to at least one.</summary>
/// <param name="UserId">The user who came online.</param>
/// <param name="Timestamp">When the user came online (UTC).</param>
public sealed record UserOnline(string UserId, DateTimeOffset Timestamp) : PresenceEvent(UserId, Timestamp);
