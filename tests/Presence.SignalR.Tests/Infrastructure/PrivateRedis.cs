using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Presence.SignalR.Tests.Infrastructure;

/// <summary>A redis-server of one test's own (free 127.0.0.1 port, no persistence), for tests that FLUSHALL or MONITOR; killed on dispose.</summary>
internal sealed class PrivateRedis : IAsyncDisposable
{
    private readonly Process _process;

    private PrivateRedis(Process process, int port, ConnectionMultiplexer client)
    {
        _process = process;
        Port = port;
        Client = client;
    }

    public int Port { get; }

    public string Endpoint => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>A connection of the test's own, with admin commands allowed (FLUSHALL).</summary>
    public ConnectionMultiplexer Client { get; }

    public IDatabase Database => Client.GetDatabase();

    public static async Task<PrivateRedis> StartAsync()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var process = Process.Start(new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start.");
        ConnectionMultiplexer? client = null;
        await Timeouts.WaitUntilAsync(
            async () =>
            {
                try
                {
                    client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true,abortConnect=true");
                    return true;
                }
                catch (RedisConnectionException)
                {
                    return false;
                }
            },
            $"redis-server answers on 127.0.0.1:{port}");
        return new PrivateRedis(process, port, client!);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
