namespace Presence;

/// <summary>Conveniences over <see cref="IPresenceStore"/>'s reads, for tools and tests.</summary>
public static class PresenceStoreExtensions
{
    /// <summary>Whether the user is online: at least one live connection, or inside the offline grace period.</summary>
    /// <param name="store">The store.</param>
    /// <param name="userId">The user to look up.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns><see langword="true"/> when the user is online.</returns>
    /// <exception cref="ArgumentException">The id is invalid.</exception>
    public static async ValueTask<bool> IsOnlineAsync(this IPresenceStore store, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        PresenceId.ThrowIfInvalid(userId);
        var online = await store.GetOnlineAsync([userId], cancellationToken).ConfigureAwait(false);
        return online.Count > 0;
    }

    /// <summary>The number of live connections a user holds (0 when offline).</summary>
    /// <param name="store">The store.</param>
    /// <param name="userId">The user to look up.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The user's live connection count.</returns>
    /// <exception cref="ArgumentException">The id is invalid.</exception>
    public static async ValueTask<int> GetConnectionCountAsync(this IPresenceStore store, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        PresenceId.ThrowIfInvalid(userId);
        var presence = await store.GetPresenceAsync([userId], cancellationToken).ConfigureAwait(false);
        return presence.Count == 0 ? 0 : presence[0].ConnectionCount;
    }

    /// <summary>The presence version the store holds for a user (0 when it knows none).</summary>
    /// <param name="store">The store.</param>
    /// <param name="userId">The user to look up.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The user's current version.</returns>
    /// <exception cref="ArgumentException">The id is invalid.</exception>
    public static async ValueTask<long> GetVersionAsync(this IPresenceStore store, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        PresenceId.ThrowIfInvalid(userId);
        var presence = await store.GetPresenceAsync([userId], cancellationToken).ConfigureAwait(false);
        return presence.Count == 0 ? 0 : presence[0].Version;
    }
}
