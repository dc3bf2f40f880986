using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace Presence.ScaleSim;

/// <summary>
/// Reads <c>INFO</c> from every master (one in standalone mode, each in a cluster) on its own admin
/// connection, never one a node uses; and removes a run's keys from a Redis it did not start.
/// </summary>
internal sealed class RedisMonitor : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _admin;

    private RedisMonitor(ConnectionMultiplexer admin) => _admin = admin;

    /// <summary>Connects to the Redis named by <paramref name="configuration"/>.</summary>
    /// <param name="configuration">The StackExchange.Redis configuration string.</param>
    /// <returns>The monitor.</returns>
    public static async Task<RedisMonitor> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AllowAdmin = true;
        options.ClientName = "presence-scalesim-monitor";
        options.SyncTimeout = options.AsyncTimeout = 30_000;
        return new RedisMonitor(await ConnectionMultiplexer.ConnectAsync(options));
    }

    /// <summary>Samples every master.</summary>
    /// <returns>One sample per master, ordered by endpoint.</returns>
    public async Task<IReadOnlyList<RedisSample>> SampleAsync()
    {
        var samples = new List<RedisSample>();
        foreach (var server in Masters())
        {
            var info = Parse(await server.InfoRawAsync() ?? "");
            var stats = Parse(await server.InfoRawAsync("commandstats") ?? "");
            var commands = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (key, value) in stats)
            {
                // cmdstat_evalsha:calls=12,usec=...
                if (key.StartsWith("cmdstat_", StringComparison.Ordinal))
                {
                    var calls = value.Split(',')[0];
                    commands[key["cmdstat_".Length..]] = long.Parse(calls["calls=".Length..], CultureInfo.InvariantCulture);
                }
            }

            samples.Add(new RedisSample(
                Format(server.EndPoint),
                Double(info, "used_cpu_sys") + Double(info, "used_cpu_user"),
                long.Parse(info["used_memory"], CultureInfo.InvariantCulture),
                long.Parse(info["total_commands_processed"], CultureInfo.InvariantCulture),
                commands));
        }

        return samples;
    }

    /// <summary>Deletes every key under <paramref name="prefix"/> on every master (SCAN, never KEYS).</summary>
    /// <param name="prefix">The run's key prefix.</param>
    /// <returns>How many keys were deleted.</returns>
    public async Task<long> DeleteKeysAsync(string prefix)
    {
        var database = _admin.GetDatabase();
        long deleted = 0;
        foreach (var server in Masters())
        {
            var batch = new List<RedisKey>(500);
            await foreach (var key in server.KeysAsync(pattern: prefix + "*", pageSize: 1000))
            {
                // One key per call: in a cluster, keys of one batch may live in different slots.
                batch.Add(key);
                if (batch.Count == 500)
                {
                    deleted += await DeleteAsync(database, batch);
                }
            }

            deleted += await DeleteAsync(database, batch);
        }

        return deleted;
    }

    /// <summary>Closes the admin connection.</summary>
    /// <returns>A task that completes when it is closed.</returns>
    public async ValueTask DisposeAsync() => await _admin.DisposeAsync();

    private static async Task<long> DeleteAsync(IDatabase database, List<RedisKey> keys)
    {
        var deletes = keys.Select(key => database.KeyDeleteAsync(key)).ToArray();
        keys.Clear();
        var results = await Task.WhenAll(deletes);
        return results.Count(static deleted => deleted);
    }

    private List<IServer> Masters() =>
        [.. _admin.GetServers().Where(static s => s.IsConnected && !s.IsReplica).OrderBy(static s => Format(s.EndPoint), StringComparer.Ordinal)];

    private static string Format(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip => ip.Address + ":" + ip.Port.ToString(CultureInfo.InvariantCulture),
        DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(CultureInfo.InvariantCulture),
        _ => endPoint.ToString() ?? "?",
    };

    private static Dictionary<string, string> Parse(string info)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in info.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !line.StartsWith('#'))
            {
                fields[line[..colon]] = line[(colon + 1)..].TrimEnd('\r');
            }
        }

        return fields;
    }

    private static double Double(Dictionary<string, string> info, string field) => double.Parse(info[field], CultureInfo.InvariantCulture);
}
