namespace Presence;

/// <summary>
/// Decides whom a viewer may watch through explicit subscriptions (<c>presence:subscribe</c>).
/// The default lets a viewer subscribe to exactly the users the <see cref="IInterestResolver"/> lets them see.
/// </summary>
public interface ISubscriptionAuthorizer
{
    /// <summary>Returns the subset of <paramref name="userIds"/> that <paramref name="viewerId"/> may watch.</summary>
    /// <param name="viewerId">The subscribing user.</param>
    /// <param name="userIds">The users the viewer asked to watch (valid, distinct ids).</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    /// <returns>The users the viewer may watch; others are silently left out.</returns>
    ValueTask<IReadOnlyList<string>> AuthorizeAsync(string viewerId, IReadOnlyList<string> userIds, CancellationToken cancellationToken = default);
}
