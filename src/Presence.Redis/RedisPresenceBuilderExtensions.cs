using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Presence;
using Presence.Redis;
using Presence.Redis.Internal;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Replaces the presence store with the Redis store: <c>AddPresence().AddRedisStore(...)</c>.</summary>
public static class RedisPresenceBuilderExtensions
{
    /// <summary>Stores presence in Redis, connecting with a StackExchange.Redis configuration string.</summary>
    /// <param name="builder">The presence builder.</param>
    /// <param name="configuration">For example <c>"localhost:6379"</c>, or a comma-separated list of cluster nodes.</param>
    /// <param name="configure">Sets the other store options (key prefix, shards, ...).</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddRedisStore(this IPresenceBuilder builder, string configuration, Action<RedisPresenceStoreOptions>? configure = null)
        => builder.AddRedisStore(RedisConnectionSettings.From(configuration, configure));

    /// <summary>Stores presence in Redis, connecting with a copy of <paramref name="configurationOptions"/>.</summary>
    /// <param name="builder">The presence builder.</param>
    /// <param name="configurationOptions">The StackExchange.Redis options.</param>
    /// <param name="configure">Sets the other store options (key prefix, shards, ...).</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddRedisStore(this IPresenceBuilder builder, ConfigurationOptions configurationOptions, Action<RedisPresenceStoreOptions>? configure = null)
        => builder.AddRedisStore(RedisConnectionSettings.From(configurationOptions, configure));

    /// <summary>
    /// Stores presence in Redis through the <see cref="IConnectionMultiplexer"/> registered in the
    /// service collection (for example by .NET Aspire's <c>AddRedisClient</c>). The store does not dispose it.
    /// </summary>
    /// <param name="builder">The presence builder.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddRedisStore(this IPresenceBuilder builder) =>
        builder.AddRedisStore(static _ => { });

    /// <summary>
    /// Stores presence in Redis through the <see cref="IConnectionMultiplexer"/> that
    /// <paramref name="connectionFactory"/> returns, called once, on the store's first use (for
    /// example a keyed multiplexer: <c>sp => sp.GetRequiredKeyedService&lt;IConnectionMultiplexer&gt;("presence")</c>).
    /// The store does not dispose it.
    /// </summary>
    /// <param name="builder">The presence builder.</param>
    /// <param name="connectionFactory">Returns the app's connection from the service provider.</param>
    /// <param name="configure">Sets the other store options (key prefix, shards, ...); a connection source set here is an error.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddRedisStore(
        this IPresenceBuilder builder,
        Func<IServiceProvider, IConnectionMultiplexer> connectionFactory,
        Action<RedisPresenceStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(connectionFactory);
        builder.AddRedisStore(configure ?? (static _ => { }));
        builder.Services.Replace(ServiceDescriptor.Singleton<IPresenceStore>(services => RedisConnectionFactory.CreateStore(services, connectionFactory)));
        return builder;
    }

    /// <summary>
    /// Stores presence in Redis. Every other overload comes here. The options are validated when the
    /// host starts; with no connection source set, the registered <see cref="IConnectionMultiplexer"/> is used.
    /// </summary>
    /// <param name="builder">The presence builder.</param>
    /// <param name="configure">Sets the connection source, key prefix, shards and batching.</param>
    /// <returns>The builder.</returns>
    public static IPresenceBuilder AddRedisStore(this IPresenceBuilder builder, Action<RedisPresenceStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        builder.Services.AddOptions<RedisPresenceStoreOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisPresenceStoreOptions>, RedisPresenceStoreOptionsValidator>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IPresenceStore>(static services => RedisConnectionFactory.CreateStore(services)));
        return builder;
    }
}
