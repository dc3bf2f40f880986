namespace Presence;

/// <summary>The user's last live connection is gone.</summary>
/// <param name="UserId">The user who went offline.</param>
/// <param name="Timestamp">When the user went offline (UTC, the store's clock): the disconnect, or the end of the last lease for an expiry. It is the user's last-seen time.</param>
/// <param name="Reason">Whether the last connection closed or timed out.</param>
/// <param name="Version">The user's presence version after the change.</param>
public sealed record UserOffline(string UserId, DateTimeOffset Timestamp, OfflineReason Reason, long Version) : PresenceEvent(UserId, Timestamp, Version);
