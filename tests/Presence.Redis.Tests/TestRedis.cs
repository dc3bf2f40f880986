using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Presence.Redis.Internal;
using StackExchange.Redis;

namespace Presence.Redis.Tests;

/// <summary>
/// The Redis servers the tests share: those scripts/test.sh started (PRESENCE_TEST_REDIS,
/// PRESENCE_TEST_REDIS_CLUSTER) or, when a variable is missing, servers this process starts on
/// free 127.0.0.1 ports and kills when it exits. Tests that stop Redis or FLUSHALL start their own.
/// </summary>
internal static class TestRedis
{
    private static readonly ConcurrentBag<RedisServerProcess> s_started = [];
    private static readonly Lazy<Task<string>> s_standalone = new(() => FromEnvironmentOrStartAsync("PRESENCE_TEST_REDIS", cluster: false));
    private static readonly Lazy<Task<string>> s_cluster = new(() => FromEnvironmentOrStartAsync("PRESENCE_TEST_REDIS_CLUSTER", cluster: true));
    private static readonly Lazy<Task<IConnectionMultiplexer>> s_standaloneConnection = new(async () => await ConnectAsync(await s_standalone.Value));
    private static readonly Lazy<Task<IConnectionMultiplexer>> s_clusterConnection = new(async () => await ConnectAsync(await s_cluster.Value));

    static TestRedis()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in s_started)
            {
                server.Kill();
            }
        };
    }

    public static Task<IConnectionMultiplexer> StandaloneAsync() => s_standaloneConnection.Value;

    public static Task<IConnectionMultiplexer> ClusterAsync() => s_clusterConnection.Value;

    public static Task<string> StandaloneConfigurationAsync() => s_standalone.Value;

    public static Task<string> ClusterConfigurationAsync() => s_cluster.Value;

    public static void Track(RedisServerProcess server) => s_started.Add(server);

    /// <summary>A separate connection (another "node"), failing fast like the store's own.</summary>
    public static async Task<IConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(200);
        options.ConnectTimeout = 5000;
        options.AllowAdmin = true;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>A store on <paramref name="redis"/> whose Redis clock follows <paramref name="clock"/> (test seam), or Redis TIME when null.</summary>
    public static RedisPresenceStore CreateStore(
        IConnectionMultiplexer redis,
        string keyPrefix,
        TimeProvider timeProvider,
        FakeTimeProvider? clock,
        PresenceOptions? presenceOptions = null,
        ILogger? logger = null,
        int shards = 16)
    {
        var store = new RedisPresenceStore(
            () => Task.FromResult(redis),
            ownsConnection: false,
            new RedisPresenceStoreOptions { KeyPrefix = keyPrefix, ExpiryShards = shards },
            presenceOptions ?? new PresenceOptions(),
            timeProvider,
            logger ?? NullLogger.Instance);
        if (clock is not null)
        {
            store.ServerClockOverride = () => clock.GetUtcNow().ToUnixTimeMilliseconds();
        }

        return store;
    }

    /// <summary>Deletes every key a store with this prefix and shard count can write.</summary>
    public static async Task DeleteKeysAsync(IConnectionMultiplexer? redis, string keyPrefix, int shards = 16)
    {
        if (redis is null || !redis.IsConnected)
        {
            return;
        }

        var keys = new RedisPresenceKeys(keyPrefix, shards);
        var database = redis.GetDatabase();
        await Task.WhenAll(Enumerable.Range(0, shards).SelectMany(s => keys.ForShard(s).Keys).Select(k => database.KeyDeleteAsync(k)));
    }

    public static string NewPrefix(string name) => $"t-{name}-{Guid.NewGuid():N}";

    /// <summary>Waits (polling, generous timeout) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(timeoutSeconds))
            {
                throw new TimeoutException($"Timed out after {timeoutSeconds} s waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until <paramref name="redis"/> answers PING again (after a restart).</summary>
    public static Task WaitUntilReachableAsync(IConnectionMultiplexer redis) =>
        WaitUntilAsync(
            async () =>
            {
                try
                {
                    await redis.GetDatabase().PingAsync();
                    return true;
                }
                catch (RedisException)
                {
                    return false;
                }
            },
            "Redis to be reachable again");

    private static async Task<string> FromEnvironmentOrStartAsync(string variable, bool cluster)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (!cluster)
        {
            return (await RedisServerProcess.StartAsync()).EndPoint;
        }

        var nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RedisServerProcess.StartAsync(cluster: true)));
        var endpoints = nodes.Select(n => n.EndPoint).ToArray();
        await RunRedisCliAsync(["--cluster", "create", .. endpoints, "--cluster-replicas", "0", "--cluster-yes"]);
        var deadline = Stopwatch.StartNew();
        foreach (var node in nodes)
        {
            while (!(await RunRedisCliAsync(["-h", "127.0.0.1", "-p", node.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "cluster", "info"]))
                .Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException("The test Redis Cluster did not reach cluster_state:ok.");
                }

                await Task.Delay(100);
            }
        }

        return string.Join(',', endpoints);
    }

    private static async Task<string> RunRedisCliAsync(string[] args)
    {
        var info = new ProcessStartInfo("redis-cli") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("redis-cli did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output + await error;
    }
}
