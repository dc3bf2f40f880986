using Microsoft.Extensions.Logging;

namespace Presence.Internal;

/// <summary>The default when the host registered no resolver: private by default, with a warning logged once.</summary>
internal sealed class NoInterestResolver(ILogger<NoInterestResolver> logger) : IInterestResolver
{
    private int _warned;

    public ValueTask<PresenceAudience> GetAudienceAsync(string userId, CancellationToken cancellationToken = default)
    {
        WarnOnce();
        return new ValueTask<PresenceAudience>(PresenceAudience.Nobody);
    }

    public ValueTask<PresenceVisibility> GetVisibleUsersAsync(string viewerId, CancellationToken cancellationToken = default)
    {
        WarnOnce();
        return new ValueTask<PresenceVisibility>(PresenceVisibility.Nobody);
    }

    private void WarnOnce()
    {
        if (Interlocked.Exchange(ref _warned, 1) == 0)
        {
            Log.NoInterestResolver(logger);
        }
    }
}
