namespace Presence;

/// <summary>A user a sweep took offline: the last connection expired, or the offline grace period after a disconnect ended.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Reason"><see cref="OfflineReason.Expired"/>, or <see cref="OfflineReason.Disconnected"/> when a grace period ended.</param>
/// <param name="Timestamp">When the user really went offline: the lease's end, or the disconnect that started the grace period (the store's clock).</param>
/// <param name="Version">The user's presence version after going offline, decided by the sweep.</param>
public readonly record struct SweptUser(string UserId, OfflineReason Reason, DateTimeOffset Timestamp, long Version);
