namespace Presence.Internal;

/// <summary>An <see cref="IInterestResolver"/> made of two delegates.</summary>
internal sealed class DelegateInterestResolver(
    IServiceProvider services,
    Func<IServiceProvider, string, CancellationToken, ValueTask<PresenceAudience>> audience,
    Func<IServiceProvider, string, CancellationToken, ValueTask<PresenceVisibility>> visibility) : IInterestResolver
{
    public ValueTask<PresenceAudience> GetAudienceAsync(string userId, CancellationToken cancellationToken = default) =>
        audience(services, userId, cancellationToken);

    public ValueTask<PresenceVisibility> GetVisibleUsersAsync(string viewerId, CancellationToken cancellationToken = default) =>
        visibility(services, viewerId, cancellationToken);
}
