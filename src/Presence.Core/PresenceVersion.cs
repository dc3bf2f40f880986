namespace Presence;

/// <summary>
/// The rule every store uses for a user's next version: one more than the last, and never less than
/// the store clock's microseconds since the Unix epoch. The clock floor keeps versions increasing
/// even after the store forgot the user (last-seen retention ended) or lost its data (a restart),
/// as long as the store's clock does not step back by more than what was forgotten.
/// </summary>
public static class PresenceVersion
{
    /// <summary>The user's next version.</summary>
    /// <param name="previous">The user's last version, or 0 when the store knows none.</param>
    /// <param name="now">The store's clock at the decision.</param>
    /// <returns><c>max(previous + 1, microseconds of now since 1970-01-01)</c>.</returns>
    public static long Next(long previous, DateTimeOffset now) => Math.Max(previous + 1, FromTime(now));

    /// <summary>Microseconds since the Unix epoch: the version floor at <paramref name="now"/>.</summary>
    /// <param name="now">The store's clock.</param>
    /// <returns>The microseconds (at least 1).</returns>
    public static long FromTime(DateTimeOffset now) => Math.Max(1, (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
}
