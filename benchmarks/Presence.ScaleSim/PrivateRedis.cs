using System.Globalization;

namespace Presence.ScaleSim;

/// <summary>
/// A private redis-server (or a 3-master Redis Cluster) on free 127.0.0.1 ports, without persistence,
/// in a temporary directory; stopped and removed on dispose.
/// </summary>
internal sealed class PrivateRedis : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("presence-scalesim-");

    private PrivateRedis()
    {
    }

    /// <summary>Gets the StackExchange.Redis configuration string: <c>127.0.0.1:p</c>, or the cluster's node list.</summary>
    public string Configuration { get; private set; } = "";

    /// <summary>Starts a standalone server or a 3-master cluster.</summary>
    /// <param name="cluster">Whether to start a cluster.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running Redis.</returns>
    public static async Task<PrivateRedis> StartAsync(bool cluster, CancellationToken cancellationToken)
    {
        var redis = new PrivateRedis();
        try
        {
            var taken = new List<int>();
            var ports = new List<int>();
            for (var i = 0; i < (cluster ? 3 : 1); i++)
            {
                var port = FreePorts.PairFree(taken);
                var p = port.ToString(CultureInfo.InvariantCulture);
                List<string> arguments = ["--bind", "127.0.0.1", "--port", p, "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--dir", redis._directory.FullName, "--loglevel", "warning"];
                if (cluster)
                {
                    arguments.AddRange(["--cluster-enabled", "yes", "--cluster-config-file", $"nodes-{p}.conf", "--cluster-node-timeout", "5000"]);
                }

                redis._processes.Add(ChildProcess.Start("redis-server", arguments));
                ports.Add(port);
            }

            foreach (var port in ports)
            {
                await redis.WaitForAsync(port, ["PING"], "PONG", cancellationToken);
            }

            var endpoints = ports.Select(static p => "127.0.0.1:" + p.ToString(CultureInfo.InvariantCulture)).ToList();
            if (cluster)
            {
                var (exit, output) = await ChildProcess.RunAsync("redis-cli", ["--cluster", "create", .. endpoints, "--cluster-replicas", "0", "--cluster-yes"], TimeSpan.FromSeconds(60));
                if (exit != 0)
                {
                    throw new InvalidOperationException($"redis-cli --cluster create failed ({exit}):{Environment.NewLine}{output}");
                }

                foreach (var port in ports)
                {
                    await redis.WaitForAsync(port, ["CLUSTER", "INFO"], "cluster_state:ok", cancellationToken);
                }
            }

            redis.Configuration = string.Join(',', endpoints);
            return redis;
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops every server and deletes the directory.</summary>
    /// <returns>A task that completes when all are stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitForAsync(int port, string[] command, string expected, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (_processes.FirstOrDefault(static p => p.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"redis-server exited at start:{Environment.NewLine}{exited.Tail}");
            }

            (_, last) = await ChildProcess.RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. command], TimeSpan.FromSeconds(5));
            if (last.Contains(expected, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new InvalidOperationException($"redis on 127.0.0.1:{port} did not answer {string.Join(' ', command)} with {expected} within 30 s: {last}");
    }
}
