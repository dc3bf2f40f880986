using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Presence.Benchmarks.Redis;

/// <summary>
/// The Redis a benchmark talks to: <c>PRESENCE_TEST_REDIS</c> (host:port, set by scripts/test.sh)
/// when present, otherwise a private redis-server on a free 127.0.0.1 port that lives as long as
/// this object. Every benchmark writes under its own key prefix and removes its keys at the end,
/// so a shared server is left as it was found; only a private server may be flushed.
/// </summary>
internal sealed class RedisBenchmarkServer : IDisposable
{
    public const string EnvironmentVariable = "PRESENCE_TEST_REDIS";

    private readonly Process? _process;

    private RedisBenchmarkServer(string endpoint, Process? process)
    {
        Endpoint = endpoint;
        _process = process;
        Admin = Connect();
    }

    /// <summary>host:port.</summary>
    public string Endpoint { get; }

    /// <summary>Whether this process started the server (and may flush it).</summary>
    public bool IsPrivate => _process is not null;

    /// <summary>A connection for INFO and key cleanup, never the one being measured.</summary>
    public ConnectionMultiplexer Admin { get; }

    public IServer AdminServer => Admin.GetServer(Admin.GetEndPoints()[0]);

    public static RedisBenchmarkServer Start()
    {
        var shared = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(shared))
        {
            var endpoint = shared.Split(',')[0].Trim();
            RequireLoopback(endpoint);
            return new RedisBenchmarkServer(endpoint, null);
        }

        var port = FreePort();
        var process = Process.Start(new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start; install it or set " + EnvironmentVariable + ".");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var endpointText = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        WaitUntilReady(endpointText, process);
        return new RedisBenchmarkServer(endpointText, process);
    }

    /// <summary>A fresh multiplexer, as an app node would hold.</summary>
    public ConnectionMultiplexer Connect() =>
        ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { Endpoint }, AllowAdmin = true, ConnectTimeout = 10_000, SyncTimeout = 30_000, AsyncTimeout = 30_000 });

    /// <summary>Deletes every key under <paramref name="prefix"/> (SCAN, never KEYS, so a shared server is not blocked).</summary>
    public void DeleteKeys(string prefix)
    {
        var database = Admin.GetDatabase();
        var batch = new List<RedisKey>(1000);
        foreach (var key in AdminServer.Keys(pattern: prefix + "*", pageSize: 1000))
        {
            batch.Add(key);
            if (batch.Count == 1000)
            {
                database.KeyDelete([.. batch]);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            database.KeyDelete([.. batch]);
        }
    }

    /// <summary>Bytes of <c>used_memory</c> (INFO memory).</summary>
    public long UsedMemory() => long.Parse(InfoField("memory", "used_memory"), CultureInfo.InvariantCulture);

    /// <summary>Call counts per command from <c>INFO commandstats</c> (commands run inside scripts included).</summary>
    public Dictionary<string, long> CommandStats()
    {
        var stats = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in AdminServer.Info("commandstats"))
        {
            foreach (var pair in group)
            {
                // cmdstat_zadd -> calls=12,usec=...
                var name = pair.Key.StartsWith("cmdstat_", StringComparison.Ordinal) ? pair.Key["cmdstat_".Length..] : pair.Key;
                var calls = pair.Value.Split(',')[0];
                stats[name] = long.Parse(calls["calls=".Length..], CultureInfo.InvariantCulture);
            }
        }

        return stats;
    }

    public void Dispose()
    {
        Admin.Dispose();
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private string InfoField(string section, string field)
    {
        foreach (var group in AdminServer.Info(section))
        {
            foreach (var pair in group)
            {
                if (pair.Key == field)
                {
                    return pair.Value;
                }
            }
        }

        throw new InvalidOperationException($"INFO {section} has no field {field}.");
    }

    private static void RequireLoopback(string endpoint)
    {
        var host = endpoint[..endpoint.LastIndexOf(':')];
        if (host is not ("127.0.0.1" or "localhost"))
        {
            throw new InvalidOperationException($"{EnvironmentVariable}={endpoint}: benchmarks only talk to a Redis on 127.0.0.1.");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WaitUntilReady(string endpoint, Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on {endpoint} exited at start (code {process.ExitCode}).");
            }

            try
            {
                using var probe = ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { endpoint }, ConnectTimeout = 1000, AbortOnConnectFail = true });
                probe.GetDatabase().Ping();
                return;
            }
            catch (RedisConnectionException)
            {
                Thread.Sleep(100);
            }
        }

        process.Kill();
        throw new InvalidOperationException($"redis-server on {endpoint} did not answer within 20 s.");
    }
}
