namespace Presence;

/// <summary>The user's last live connection is gone.</summary>
/// <param name="UserId">The user who went offline.</param>
/// <param name="Timestamp">When the user went offline (UTC).</param>
/// <param name="Reason">Whether the last connection closed or timed out.</param>
public sealed record UserOffline(string UserId, DateTimeOffset Timestamp, OfflineReason Reason) : PresenceEvent(UserId, Timestamp);
