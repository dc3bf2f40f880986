using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>Builds the store from the service provider: picks the connection source the options name.</summary>
internal static class RedisConnectionFactory
{
    /// <summary>Builds the store; with <paramref name="connectionFactory"/>, on the app's connection from it (not owned).</summary>
    public static RedisPresenceStore CreateStore(IServiceProvider services, Func<IServiceProvider, IConnectionMultiplexer>? connectionFactory = null)
    {
        var options = services.GetRequiredService<IOptions<RedisPresenceStoreOptions>>().Value;
        bool ownsConnection;
        Func<Task<IConnectionMultiplexer>> connect;
        if (connectionFactory is null)
        {
            connect = CreateConnector(options, services, out ownsConnection);
        }
        else if (options.Configuration is not null || options.ConfigurationOptions is not null || options.ConnectionMultiplexerFactory is not null)
        {
            throw new InvalidOperationException(
                "AddRedisStore(connectionFactory) takes its connection from the factory: do not also set "
                + $"{nameof(RedisPresenceStoreOptions)}.{nameof(RedisPresenceStoreOptions.Configuration)}, "
                + $"{nameof(RedisPresenceStoreOptions)}.{nameof(RedisPresenceStoreOptions.ConfigurationOptions)} or "
                + $"{nameof(RedisPresenceStoreOptions)}.{nameof(RedisPresenceStoreOptions.ConnectionMultiplexerFactory)}.");
        }
        else
        {
            // Off the caller's thread: a factory may connect synchronously, and its failure must surface as the store's.
            ownsConnection = false;
            connect = () => Task.Run(() => connectionFactory(services));
        }

        return Create(services, connect, ownsConnection, options);
    }

    /// <summary>Builds the store on a given connection, with the registered options, time provider and logger.</summary>
    public static RedisPresenceStore Create(IServiceProvider services, Func<Task<IConnectionMultiplexer>> connect, bool ownsConnection, RedisPresenceStoreOptions options)
    {
        var presenceOptions = services.GetRequiredService<IOptions<PresenceOptions>>().Value;
        var timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger<RedisPresenceStore>() ?? (ILogger)NullLogger.Instance;
        return new RedisPresenceStore(connect, ownsConnection, options, presenceOptions, timeProvider, logger, services.GetService<IMeterFactory>());
    }

    public static Func<Task<IConnectionMultiplexer>> CreateConnector(RedisPresenceStoreOptions options, IServiceProvider? services, out bool ownsConnection)
    {
        ownsConnection = true;
        if (options.Configuration is { } configuration)
        {
            var parsed = FailFast(ConfigurationOptions.Parse(configuration));

            // A configuration string cannot name a retry policy, and the default waits seconds before the first
            // reconnect. Back off from 250 ms to half a heartbeat interval, as the scale-out connection does: after
            // a restart the node is back, and restores, well within the two heartbeat intervals a shard settles.
            if (services?.GetService<IOptions<PresenceOptions>>()?.Value is { } presenceOptions)
            {
                parsed.ReconnectRetryPolicy = ReconnectPolicy(presenceOptions.HeartbeatInterval);
            }

            // The connection's own failures and reconnects go to the app's logs (category StackExchange.Redis.*).
            parsed.LoggerFactory ??= services?.GetService<ILoggerFactory>();

            return async () => await ConnectionMultiplexer.ConnectAsync(parsed).ConfigureAwait(false);
        }

        if (options.ConfigurationOptions is { } configurationOptions)
        {
            var copy = FailFast(configurationOptions.Clone());
            return async () => await ConnectionMultiplexer.ConnectAsync(copy).ConfigureAwait(false);
        }

        ownsConnection = false;
        if (options.ConnectionMultiplexerFactory is { } factory)
        {
            return factory;
        }

        var shared = services?.GetService<IConnectionMultiplexer>() ?? throw new InvalidOperationException(
            "AddRedisStore() found no connection: register an IConnectionMultiplexer in the service collection, or set "
            + $"{nameof(RedisPresenceStoreOptions)}.{nameof(RedisPresenceStoreOptions.Configuration)}, "
            + $"{nameof(RedisPresenceStoreOptions.ConfigurationOptions)} or {nameof(RedisPresenceStoreOptions.ConnectionMultiplexerFactory)}.");
        return () => Task.FromResult(shared);
    }

    /// <summary>Reconnects from 250 ms on, backing off to half a heartbeat interval (at least 250 ms, at most a minute).</summary>
    public static ExponentialRetry ReconnectPolicy(TimeSpan heartbeatInterval) =>
        new(250, (int)Math.Clamp(heartbeatInterval.TotalMilliseconds / 2, 250, 60_000));

    /// <summary>
    /// While Redis is down, calls must fail at once (the caller logs and carries on) rather than
    /// queue behind a reconnect, and a node must start even when Redis is not up yet.
    /// </summary>
    private static ConfigurationOptions FailFast(ConfigurationOptions options)
    {
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }
}
