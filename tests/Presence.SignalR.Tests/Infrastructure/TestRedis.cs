using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Presence.SignalR.Tests.Infrastructure;

/// <summary>
/// The Redis the backplane tests use: PRESENCE_TEST_REDIS when scripts/test.sh set it, otherwise a
/// redis-server this process starts on a free 127.0.0.1 port without persistence and kills on exit.
/// </summary>
internal static class TestRedis
{
    private static readonly Lazy<Task<string>> s_endpoint = new(StartAsync);

    public static Task<string> EndpointAsync() => s_endpoint.Value;

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("PRESENCE_TEST_REDIS") is { Length: > 0 } configured)
        {
            return configured;
        }

        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var process = Process.Start(new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => process.Kill();

        await Timeouts.WaitUntilAsync(
            async () =>
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            },
            $"redis-server answers on 127.0.0.1:{port}");
        return $"127.0.0.1:{port}";
    }
}
