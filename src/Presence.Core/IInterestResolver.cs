namespace Presence;

/// <summary>
/// The host app's answer to "who cares about whom": who must hear about a user's changes, and whom
/// a viewer may see. Presence never broadcasts to everybody unless the resolver says so.
/// </summary>
/// <remarks>
/// Register one with <c>AddInterestResolver&lt;T&gt;()</c>, a delegate overload, or
/// <c>AddEveryoneSeesEveryone()</c> for small apps. Without one, nobody hears anything and a
/// warning is logged once.
/// </remarks>
public interface IInterestResolver
{
    /// <summary>Who must hear that <paramref name="userId"/> came online, went offline or changed.</summary>
    /// <param name="userId">The user whose presence changed.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The audience.</returns>
    ValueTask<PresenceAudience> GetAudienceAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Whom <paramref name="viewerId"/> may see in the list of online users sent on connect.</summary>
    /// <param name="viewerId">The user who just connected.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The visible users.</returns>
    ValueTask<PresenceVisibility> GetVisibleUsersAsync(string viewerId, CancellationToken cancellationToken = default);
}
