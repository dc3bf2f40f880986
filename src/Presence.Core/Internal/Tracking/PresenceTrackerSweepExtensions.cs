namespace Presence;

/// <summary>The sweep, reachable from an <see cref="IPresenceTracker"/> for the hosting code and tests; not public API.</summary>
internal static class PresenceTrackerSweepExtensions
{
    /// <summary>Removes expired connections once and publishes <see cref="UserOffline"/> for each user who went offline.</summary>
    /// <param name="tracker">The library's own tracker.</param>
    /// <param name="cancellationToken">Cancels the sweep.</param>
    /// <returns>The number of users who went offline.</returns>
    public static ValueTask<int> SweepAsync(this IPresenceTracker tracker, CancellationToken cancellationToken = default) =>
        ((Internal.PresenceTracker)tracker).SweepAsync(cancellationToken);
}
