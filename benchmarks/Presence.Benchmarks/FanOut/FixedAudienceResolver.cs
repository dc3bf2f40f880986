namespace Presence.Benchmarks.FanOut;

/// <summary>Answers every lookup with one prepared audience, so a fan-out benchmark times the sends, not the app's lookup.</summary>
internal sealed class FixedAudienceResolver(PresenceAudience audience) : IInterestResolver
{
    public ValueTask<PresenceAudience> GetAudienceAsync(string userId, CancellationToken cancellationToken = default) => new(audience);

    public ValueTask<PresenceVisibility> GetVisibleUsersAsync(string viewerId, CancellationToken cancellationToken = default) =>
        new(PresenceVisibility.Nobody);
}
