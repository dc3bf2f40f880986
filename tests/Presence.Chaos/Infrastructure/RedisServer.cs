using System.Diagnostics;
using System.Net.Sockets;

namespace Presence.Chaos.Infrastructure;

/// <summary>
/// A private redis-server on a fixed 127.0.0.1 port, in a directory of its own (<c>--dir</c>, with
/// <c>--dbfilename dump.rdb</c>) and with no automatic persistence (<c>--save ''</c>): the scheduler
/// may kill it and restart it empty on the same port, snapshot it (<c>SAVE</c>) and later restart it
/// from that snapshot, flush it or pause it. As a cluster master it announces
/// <c>127.0.0.1:&lt;announcePort&gt;</c> (its latency proxy) to clients and keeps its cluster
/// configuration (<c>nodes.conf</c>) across restarts, so a restart keeps its slots and loses its data.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private const string DumpFile = "dump.rdb";
    private readonly string _directory = Directory.CreateTempSubdirectory("presence-chaos-redis-").FullName;
    private readonly int? _announcePort;
    private Process? _process;

    /// <param name="announcePort">Null: a standalone server. Otherwise a cluster master that announces this port (its proxy) to clients.</param>
    /// <param name="port">The port to listen on; a free one when null.</param>
    public RedisServer(int? port = null, int? announcePort = null)
    {
        Port = port ?? FreePort.Next();
        _announcePort = announcePort;
    }

    public int Port { get; }

    /// <summary>The cluster bus port (cluster masters only), announced as it is: the bus bypasses the latency proxies.</summary>
    public int BusPort { get; } = FreePort.Next();

    public bool IsClusterMaster => _announcePort is not null;

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Whether a snapshot (<c>dump.rdb</c>) exists that a restart would load.</summary>
    public bool HasSnapshot => File.Exists(Path.Combine(_directory, DumpFile));

    /// <summary>
    /// Starts the server. Without <paramref name="fromSnapshot"/> any earlier snapshot is deleted first,
    /// so it starts empty; with it, it loads the last <see cref="SaveAsync"/>'s snapshot.
    /// </summary>
    public async Task StartAsync(bool fromSnapshot = false)
    {
        if (!fromSnapshot)
        {
            File.Delete(Path.Combine(_directory, DumpFile));
        }

        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "--bind", "127.0.0.1", "--port", Port.ToString(), "--save", "", "--appendonly", "no",
            "--dir", _directory, "--dbfilename", DumpFile, "--logfile", Path.Combine(_directory, "redis.log"),
        })
        {
            start.ArgumentList.Add(arg);
        }

        if (_announcePort is { } announce)
        {
            foreach (var arg in new[]
            {
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", BusPort.ToString(),
                // Longer than any kill the scheduler holds: a restarted master is never marked FAIL, and the other
                // masters keep serving their slots meanwhile (no full coverage required).
                "--cluster-node-timeout", "15000", "--cluster-require-full-coverage", "no",
                "--cluster-announce-ip", "127.0.0.1", "--cluster-announce-port", announce.ToString(),
                "--cluster-announce-bus-port", BusPort.ToString(),
            })
            {
                start.ArgumentList.Add(arg);
            }
        }

        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        await Eventually.TrueAsync(PingsAsync, TimeSpan.FromSeconds(30), $"redis-server answers on {Endpoint}");
    }

    /// <summary>SIGKILL: every key written since the last snapshot is lost (no persistence).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary><c>SAVE</c>: a synchronous RDB snapshot to <c>dump.rdb</c> in the server's directory.</summary>
    public async Task SaveAsync()
    {
        var reply = await CommandAsync("SAVE");
        if (reply != "OK")
        {
            throw new InvalidOperationException($"SAVE on {Endpoint} answered '{reply}'.");
        }
    }

    /// <summary>Whether this cluster master sees the cluster as healthy with every slot assigned and <paramref name="nodes"/> nodes known.</summary>
    public async Task<bool> ClusterIsOkAsync(int nodes)
    {
        var info = await CommandAsync("CLUSTER", "INFO");
        return info.Contains("cluster_state:ok", StringComparison.Ordinal)
            && info.Contains("cluster_slots_assigned:16384", StringComparison.Ordinal)
            && info.Contains($"cluster_known_nodes:{nodes}", StringComparison.Ordinal);
    }

    /// <summary>Runs one command through redis-cli; with <paramref name="input"/>, redis-cli reads commands from it (one a line).</summary>
    public async Task<string> CommandAsync(string[] args, string? input = null)
    {
        var start = new ProcessStartInfo("redis-cli")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
        };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", Port.ToString() }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var cli = Process.Start(start)!;
        if (input is not null)
        {
            await cli.StandardInput.WriteAsync(input);
            cli.StandardInput.Close();
        }

        var output = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return output.Trim();
    }

    public Task<string> CommandAsync(params string[] args) => CommandAsync(args, input: null);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<bool> PingsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            return (await CommandAsync("PING")) == "PONG";
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
