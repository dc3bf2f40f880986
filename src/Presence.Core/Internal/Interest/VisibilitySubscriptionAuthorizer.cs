namespace Presence.Internal;

/// <summary>The default subscription rule: a viewer may watch exactly the users the interest resolver lets them see.</summary>
internal sealed class VisibilitySubscriptionAuthorizer(IInterestResolver interestResolver) : ISubscriptionAuthorizer
{
    public async ValueTask<IReadOnlyList<string>> AuthorizeAsync(string viewerId, IReadOnlyList<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var visibility = await interestResolver.GetVisibleUsersAsync(viewerId, cancellationToken).ConfigureAwait(false);
        if (visibility.IsEveryone)
        {
            return userIds;
        }

        var visible = new HashSet<string>(visibility.UserIds, StringComparer.Ordinal);
        return [.. userIds.Where(visible.Contains)];
    }
}
