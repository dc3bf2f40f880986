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

    /// <summary>Redis's own CPU so far (<c>INFO cpu</c>: used_cpu_sys + used_cpu_user), in seconds.</summary>
    public static async Task<double> CpuSecondsAsync(string endpoint, CancellationToken cancellationToken)
    {
        var info = await InfoAsync(endpoint, "cpu", cancellationToken).ConfigureAwait(false);
        return double.Parse(info["used_cpu_sys"], CultureInfo.InvariantCulture) + double.Parse(info["used_cpu_user"], CultureInfo.InvariantCulture);
    }

    /// <summary>One <c>INFO</c> section as field → value.</summary>
    public static async Task<Dictionary<string, string>> InfoAsync(string endpoint, string section, CancellationToken cancellationToken)
    {
        var colon = endpoint.LastIndexOf(':');
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint[..colon], int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("INFO " + section + "\r\n"), cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var header = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "";
        if (!header.StartsWith('$'))
        {
            throw new InvalidOperationException("INFO answered " + header);
        }

        var length = int.Parse(header.AsSpan(1), CultureInfo.InvariantCulture);
        var buffer = new char[length];
        var read = 0;
        while (read < length)
        {
            var n = await reader.ReadAsync(buffer.AsMemory(read, length - read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in new string(buffer, 0, read).Split("\r\n"))
        {
            var separator = line.IndexOf(':', StringComparison.Ordinal);
            if (separator > 0 && !line.StartsWith('#'))
            {
                fields[line[..separator]] = line[(separator + 1)..];
            }
        }

        return fields;
    }
}
