namespace Presence;

/// <summary>Everything the store knows about one user, read in one round trip by <see cref="IPresenceStore.GetPresenceAsync"/>.</summary>
/// <param name="UserId">The user.</param>
/// <param name="IsOnline">
/// Whether the user is online: at least one live connection, or inside the offline grace period
/// after the last one closed (nobody has been told the user left yet).
/// </param>
/// <param name="Status">The status the user set while online (<c>available</c>, <c>away</c>, <c>busy</c> or custom); <see langword="null"/> when none was set or the user is offline.</param>
/// <param name="LastSeen">When the user last went offline; <see langword="null"/> while online, or when unknown or older than <see cref="PresenceOptions.LastSeenRetention"/>.</param>
/// <param name="ConnectionCount">The user's live connections.</param>
/// <param name="Version">The user's presence version: that of the last change the store decided; 0 when the store knows none.</param>
public sealed record UserPresence(string UserId, bool IsOnline, string? Status, DateTimeOffset? LastSeen, int ConnectionCount, long Version);
