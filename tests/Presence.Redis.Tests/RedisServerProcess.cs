using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Presence.Redis.Tests;

/// <summary>
/// A redis-server this test process starts on a free 127.0.0.1 port, with no persistence, and can
/// stop and start again on the same port (to simulate a restart that comes back empty).
/// </summary>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly string _directory;
    private readonly bool _cluster;
    private Process? _process;

    private RedisServerProcess(int port, bool cluster)
    {
        Port = port;
        _cluster = cluster;
        _directory = Path.Combine(Path.GetTempPath(), "presence-redis-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    public int Port { get; }

    public string EndPoint => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public static async Task<RedisServerProcess> StartAsync(bool cluster = false)
    {
        var server = new RedisServerProcess(FreePort(cluster), cluster);
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = false };
        foreach (var arg in new[]
        {
            "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--dir", _directory,
            "--save", string.Empty, "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
            "--logfile", Path.Combine(_directory, "redis.log"),
        })
        {
            info.ArgumentList.Add(arg);
        }

        if (_cluster)
        {
            foreach (var arg in new[] { "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(_directory, "nodes.conf"), "--cluster-node-timeout", "2000" })
            {
                info.ArgumentList.Add(arg);
            }
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        TestRedis.Track(this);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await PingAsync())
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on {EndPoint} did not answer PING; see {_directory}/redis.log.");
            }

            await Task.Delay(50);
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Kills the process without waiting: for the process-exit hook.</summary>
    public void Kill()
    {
        try
        {
            _process?.Kill();
        }
        catch (InvalidOperationException)
        {
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>A free port; for a cluster node, port + 10000 (its bus) must be free too.</summary>
    private static int FreePort(bool cluster)
    {
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (!cluster)
            {
                return port;
            }

            if (port + 10000 <= 65535 && IsFree(port + 10000))
            {
                return port;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
