namespace Presence.Internal;

/// <summary>Any viewer may watch anyone (an explicit opt-in, as in the demo).</summary>
internal sealed class AllowAllSubscriptionAuthorizer : ISubscriptionAuthorizer
{
    public ValueTask<IReadOnlyList<string>> AuthorizeAsync(string viewerId, IReadOnlyList<string> userIds, CancellationToken cancellationToken = default) =>
        new(userIds);
}
