using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Presence.Redis;
using Presence.Redis.Internal;
using StackExchange.Redis;

namespace Presence.SignalR.Redis.Internal;

/// <summary>
/// The one Redis connection that <c>AddRedisScaleOut(...)</c> shares between the presence store,
/// SignalR's Redis backplane and the app (as <see cref="IConnectionMultiplexer"/>).
/// </summary>
internal sealed class RedisScaleOutConnection : IDisposable, IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
    private readonly bool _ownsConnection;

    public RedisScaleOutConnection(IOptions<RedisPresenceStoreOptions> options, IOptions<PresenceOptions> presenceOptions, ILoggerFactory? loggerFactory = null)
    {
        var source = options.Value;
        var configurationOptions = source.ConfigurationOptions?.Clone();
        if (configurationOptions is null && source.Configuration is { } configuration)
        {
            configurationOptions = RedisConnectionFactory.Parse(configuration, presenceOptions.Value.HeartbeatInterval);
        }

        Func<Task<IConnectionMultiplexer>> connect;
        if (configurationOptions is not null)
        {
            RedisConnectionFactory.LogThroughApp(configurationOptions, loggerFactory);

            // The backplane's channels are named after the hub type only; without a prefix two apps
            // sharing one Redis (both on PresenceHub) would deliver each other's messages.
            if (configurationOptions.ChannelPrefix is not { IsNullOrEmpty: false })
            {
                configurationOptions.ChannelPrefix = RedisChannel.Literal(source.KeyPrefix + ":");
            }

            connect = RedisConnectionFactory.CreateConnector(new RedisPresenceStoreOptions { ConfigurationOptions = configurationOptions }, null, out _ownsConnection);
        }
        else
        {
            connect = source.ConnectionMultiplexerFactory ?? throw new InvalidOperationException(
                $"AddRedisScaleOut() needs a connection: {nameof(RedisPresenceStoreOptions)}.{nameof(RedisPresenceStoreOptions.Configuration)}, "
                + $"{nameof(RedisPresenceStoreOptions.ConfigurationOptions)} or {nameof(RedisPresenceStoreOptions.ConnectionMultiplexerFactory)} must be set.");
        }

        _connection = new Lazy<Task<IConnectionMultiplexer>>(connect);
    }

    /// <summary>The shared connection; connected once. With a configuration it never fails for an unreachable Redis (it reconnects in the background).</summary>
    public Task<IConnectionMultiplexer> GetAsync() => _connection.Value;

    public static RedisPresenceStore CreateStore(IServiceProvider services) => RedisConnectionFactory.Create(
        services,
        services.GetRequiredService<RedisScaleOutConnection>().GetAsync,
        ownsConnection: false,
        services.GetRequiredService<IOptions<RedisPresenceStoreOptions>>().Value);

    /// <summary>
    /// For the app's own use through dependency injection, which has no async factories. With a
    /// configuration, connecting returns after the first attempt even when Redis is down, so this
    /// blocks at most for one connect timeout, once.
    /// </summary>
    public static IConnectionMultiplexer Resolve(IServiceProvider services) =>
        services.GetRequiredService<RedisScaleOutConnection>().GetAsync().GetAwaiter().GetResult();

    public void Dispose()
    {
        if (_ownsConnection && _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            _connection.Value.Result.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The backplane disposes the connection too when the container goes; a second dispose is harmless.
        if (_ownsConnection && _connection.IsValueCreated)
        {
            var connection = await _connection.Value.ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
