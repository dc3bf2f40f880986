using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Presence.LoadTest;

/// <summary>A private redis-server on a free 127.0.0.1 port, for <c>--store redis</c> without <c>--redis</c>; plus one-line RESP queries.</summary>
internal static class RedisProcess
{
    public static async Task<(ChildProcess Process, string Endpoint)> StartAsync(CancellationToken cancellationToken)
    {
        var port = ChildProcess.FreePort();
        var process = ChildProcess.Start("redis-server", ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        var endpoint = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                if (await QueryAsync(endpoint, "PING", cancellationToken).ConfigureAwait(false) == "+PONG")
                {
                    return (process, endpoint);
                }
            }
            catch (SocketException)
            {
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        var tail = process.Tail;
        await process.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException($"redis-server on {endpoint} did not start:{Environment.NewLine}{tail}");
    }

    /// <summary>Sends one inline command and returns the first line of the reply (enough for PING and DBSIZE).</summary>
    public static async Task<string> QueryAsync(string endpoint, string command, CancellationToken cancellationToken)
    {
        var colon = endpoint.LastIndexOf(':');
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint[..colon], int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "";
    }
}
