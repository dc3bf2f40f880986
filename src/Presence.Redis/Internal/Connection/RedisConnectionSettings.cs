using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// Turns "a connection plus optional other settings" into the one options delegate every
/// <c>AddRedisStore</c> / <c>AddRedisScaleOut</c> overload funnels into.
/// </summary>
internal static class RedisConnectionSettings
{
    public static Action<RedisPresenceStoreOptions> From(string configuration, Action<RedisPresenceStoreOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return options =>
        {
            options.Configuration = configuration;
            configure?.Invoke(options);
        };
    }

    public static Action<RedisPresenceStoreOptions> From(ConfigurationOptions configurationOptions, Action<RedisPresenceStoreOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(configurationOptions);
        return options =>
        {
            options.ConfigurationOptions = configurationOptions;
            configure?.Invoke(options);
        };
    }
}
