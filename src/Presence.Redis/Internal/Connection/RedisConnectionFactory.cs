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
            var parsed = FailFast(Parse(configuration, services?.GetService<IOptions<PresenceOptions>>()?.Value.HeartbeatInterval));
            LogThroughApp(parsed, services?.GetService<ILoggerFactory>());
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

    /// <summary>
    /// Parses a configuration string for a connection Presence makes. A string cannot name a retry policy, and
    /// the default waits seconds before the first reconnect: with <paramref name="heartbeatInterval"/>, it backs
    /// off from 250 ms to half a heartbeat interval (at least 250 ms, at most a minute) instead, so after a
    /// restart the node is back, and restores, well within the two heartbeat intervals a shard settles.
    /// </summary>
    public static ConfigurationOptions Parse(string configuration, TimeSpan? heartbeatInterval)
    {
        var parsed = ConfigurationOptions.Parse(configuration);
        if (heartbeatInterval is { } interval)
        {
            parsed.ReconnectRetryPolicy = new ExponentialRetry(250, (int)Math.Clamp(interval.TotalMilliseconds / 2, 250, 60_000));
        }

        return parsed;
    }

    /// <summary>The connection's own failures and reconnects go to the app's logs (StackExchange.Redis.*), unless the options name a logger factory.</summary>
    public static void LogThroughApp(ConfigurationOptions options, ILoggerFactory? loggerFactory) => options.LoggerFactory ??= loggerFactory;

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
