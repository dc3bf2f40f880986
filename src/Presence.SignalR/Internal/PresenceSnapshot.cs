namespace Presence.SignalR.Internal;

/// <summary>
/// Reads what a viewer's <c>presence:bulk-online</c> is made of: the presence of every user it may see,
/// the online ones and the offline ones whose offline version the store remembers. The offline
/// versions let a client keep an event that is newer than the snapshot (protocol.md "Ordering").
/// </summary>
internal static class PresenceSnapshot
{
    public static async ValueTask<IReadOnlyList<UserPresence>> ReadAsync(
        IPresenceTracker tracker, IInterestResolver interestResolver, string viewerId, CancellationToken cancellationToken)
    {
        var visibility = await interestResolver.GetVisibleUsersAsync(viewerId, cancellationToken).ConfigureAwait(false);
        if (visibility.IsEveryone)
        {
            // Everyone online, in one read; an offline user's version is not worth a scan of every user.
            return await tracker.GetVisiblePresenceAsync(viewerId, cancellationToken).ConfigureAwait(false);
        }

        return visibility.UserIds.Count == 0 ? [] : await tracker.GetPresenceAsync(visibility.UserIds, cancellationToken).ConfigureAwait(false);
    }
}
