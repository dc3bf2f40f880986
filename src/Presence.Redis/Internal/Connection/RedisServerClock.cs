using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// The <c>clock</c> argument every script takes: empty in production, so the script reads Redis
/// <c>TIME</c>; a test may set <see cref="Override"/> (milliseconds) to move the store's clock with a fake time provider.
/// </summary>
internal sealed class RedisServerClock
{
    /// <summary>Test-only: the server time in milliseconds the scripts use instead of Redis <c>TIME</c>.</summary>
    public Func<long>? Override { get; set; }

    /// <summary>The script argument: the override's value, or empty for Redis <c>TIME</c>.</summary>
    public RedisValue Argument() => Override is { } clock ? clock() : RedisValue.EmptyString;

    /// <summary>A Redis server time in milliseconds, as the scripts return it (an integer or a score).</summary>
    public static DateTimeOffset ToTime(RedisResult milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(double)milliseconds);
}
