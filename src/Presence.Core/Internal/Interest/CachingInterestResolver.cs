using Microsoft.Extensions.Caching.Memory;

namespace Presence.Internal;

/// <summary>
/// Remembers another resolver's answers for a fixed time, so a burst of events about one user (or
/// many reconnects of one viewer) asks the app's directory once. Answers may be stale for that long.
/// </summary>
internal sealed class CachingInterestResolver(IInterestResolver inner, TimeSpan duration, TimeProvider timeProvider) : IInterestResolver, IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { Clock = new TimeProviderClock(timeProvider) });

    public ValueTask<PresenceAudience> GetAudienceAsync(string userId, CancellationToken cancellationToken = default) =>
        GetOrAddAsync(new CacheKey(userId, Audience: true), static (resolver, id, ct) => resolver.GetAudienceAsync(id, ct), cancellationToken);

    public ValueTask<PresenceVisibility> GetVisibleUsersAsync(string viewerId, CancellationToken cancellationToken = default) =>
        GetOrAddAsync(new CacheKey(viewerId, Audience: false), static (resolver, id, ct) => resolver.GetVisibleUsersAsync(id, ct), cancellationToken);

    public void Dispose() => _cache.Dispose();

    private async ValueTask<T> GetOrAddAsync<T>(CacheKey key, Func<IInterestResolver, string, CancellationToken, ValueTask<T>> resolve, CancellationToken cancellationToken)
        where T : class
    {
        if (_cache.TryGetValue(key, out T? cached) && cached is not null)
        {
            return cached;
        }

        // Two concurrent misses both ask the directory; the answers are equal, so the last write wins harmlessly.
        var value = await resolve(inner, key.UserId, cancellationToken).ConfigureAwait(false);
        _cache.Set(key, value, duration);
        return value;
    }

    private readonly record struct CacheKey(string UserId, bool Audience);

#pragma warning disable CS0618 // ISystemClock is the cache's only clock hook.
    private sealed class TimeProviderClock(TimeProvider timeProvider) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
    }
#pragma warning restore CS0618
}
