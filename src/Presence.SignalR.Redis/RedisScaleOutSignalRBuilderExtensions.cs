using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Presence;
using Presence.Redis;
using Presence.Redis.Internal;
using Presence.SignalR.Redis.Internal;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Scales a SignalR app with presence out to several nodes in one call:
/// <c>AddSignalR().AddPresence().AddRedisScaleOut("redis:6379")</c>.
/// </summary>
public static class RedisScaleOutSignalRBuilderExtensions
{
    /// <summary>
    /// Puts presence in Redis (<c>AddPresence().AddRedisStore(...)</c>) and adds SignalR's Redis
    /// backplane (<c>AddStackExchangeRedis()</c>), both on ONE connection made from
    /// <paramref name="configuration"/>, so an event about a user on one node reaches interested
    /// clients on every node. The backplane's channels get the store's key prefix
    /// (<see cref="RedisPresenceStoreOptions.KeyPrefix"/> followed by <c>:</c>) unless the configuration
    /// names a channel prefix, so several apps can share one Redis. The connection is also registered
    /// as <see cref="IConnectionMultiplexer"/> unless one is registered already.
    /// </summary>
    /// <param name="builder">The SignalR builder returned by <c>AddSignalR()</c>.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>"redis:6379"</c>.</param>
    /// <param name="configure">Sets the store's other options (key prefix, shards, batching).</param>
    /// <returns>The builder.</returns>
    public static ISignalRServerBuilder AddRedisScaleOut(this ISignalRServerBuilder builder, string configuration, Action<RedisPresenceStoreOptions>? configure = null)
        => builder.AddRedisScaleOut(RedisConnectionSettings.From(configuration, configure));

    /// <summary>
    /// Like <see cref="AddRedisScaleOut(ISignalRServerBuilder, string, Action{RedisPresenceStoreOptions}?)"/>,
    /// connecting with a copy of <paramref name="configurationOptions"/>.
    /// </summary>
    /// <param name="builder">The SignalR builder returned by <c>AddSignalR()</c>.</param>
    /// <param name="configurationOptions">The StackExchange.Redis options; its <c>ChannelPrefix</c>, when set, wins over the key prefix.</param>
    /// <param name="configure">Sets the store's other options (key prefix, shards, batching).</param>
    /// <returns>The builder.</returns>
    public static ISignalRServerBuilder AddRedisScaleOut(this ISignalRServerBuilder builder, ConfigurationOptions configurationOptions, Action<RedisPresenceStoreOptions>? configure = null)
        => builder.AddRedisScaleOut(RedisConnectionSettings.From(configurationOptions, configure));

    private static ISignalRServerBuilder AddRedisScaleOut(this ISignalRServerBuilder builder, Action<RedisPresenceStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddPresence().AddRedisStore(configure);
        services.TryAddSingleton<RedisScaleOutConnection>();
        services.Replace(ServiceDescriptor.Singleton<IPresenceStore>(RedisScaleOutConnection.CreateStore));
        services.TryAddSingleton<IConnectionMultiplexer>(RedisScaleOutConnection.Resolve);
        builder.AddStackExchangeRedis();
        services.AddOptions<RedisOptions>().Configure<RedisScaleOutConnection>(
            static (options, connection) => options.ConnectionFactory = _ => connection.GetAsync());
        return builder;
    }
}
