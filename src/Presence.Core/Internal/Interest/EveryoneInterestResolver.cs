namespace Presence.Internal;

/// <summary>"Everyone sees everyone": the explicit opt-in for small apps.</summary>
internal sealed class EveryoneInterestResolver : IInterestResolver
{
    public ValueTask<PresenceAudience> GetAudienceAsync(string userId, CancellationToken cancellationToken = default) =>
        new(PresenceAudience.Everyone);

    public ValueTask<PresenceVisibility> GetVisibleUsersAsync(string viewerId, CancellationToken cancellationToken = default) =>
        new(PresenceVisibility.Everyone);
}
