using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Presence.LoadTest;

/// <summary>
/// A MONITOR connection to the private Redis: counts the commands clients send (by name) apart from
/// those scripts run inside Redis (<c>[0 lua]</c>). <see cref="SnapshotAsync"/> is a barrier: it sends a
/// marker ECHO on another connection and waits until MONITOR has shown it, so a count is exact at that point.
/// </summary>
internal sealed class RedisMonitor : IAsyncDisposable
{
    private readonly TcpClient _client = new();
    private readonly Dictionary<string, long> _byCommand = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _endpoint;
    private Task _reading = Task.CompletedTask;
    private long _lua;
    private string? _awaitedMarker;
    private TaskCompletionSource? _markerSeen;

    private RedisMonitor(string endpoint) => _endpoint = endpoint;

    public static async Task<RedisMonitor> StartAsync(string endpoint, CancellationToken cancellationToken)
    {
        var monitor = new RedisMonitor(endpoint);
        var colon = endpoint.LastIndexOf(':');
        await monitor._client.ConnectAsync(endpoint[..colon], int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        var stream = monitor._client.GetStream();
        await stream.WriteAsync("MONITOR\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        var reader = new StreamReader(stream, Encoding.UTF8);
        var ok = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (ok != "+OK")
        {
            throw new InvalidOperationException("MONITOR answered " + ok);
        }

        monitor._reading = Task.Run(() => monitor.ReadAsync(reader), CancellationToken.None);
        return monitor;
    }

    /// <summary>Client commands by name and commands run inside scripts, up to now.</summary>
    public async Task<RedisCommandCount> SnapshotAsync(CancellationToken cancellationToken)
    {
        var marker = "presence-loadtest-marker-" + Guid.NewGuid().ToString("N");
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_byCommand)
        {
            _awaitedMarker = marker;
            _markerSeen = seen;
        }

        await RedisProcess.QueryAsync(_endpoint, "ECHO " + marker, cancellationToken).ConfigureAwait(false);
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        lock (_byCommand)
        {
            return new RedisCommandCount(new Dictionary<string, long>(_byCommand, StringComparer.OrdinalIgnoreCase), _lua);
        }
    }

    private async Task ReadAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
            {
                // 1700000000.123456 [0 127.0.0.1:54321] "EVALSHA" "..."   or   ... [0 lua] "HSET" ...
                var close = line.IndexOf(']', StringComparison.Ordinal);
                var open = line.IndexOf('[', StringComparison.Ordinal);
                if (open < 0 || close < 0)
                {
                    continue;
                }

                var isLua = line.AsSpan(open, close - open).EndsWith(" lua", StringComparison.Ordinal);
                var nameStart = line.IndexOf('"', close);
                var nameEnd = nameStart < 0 ? -1 : line.IndexOf('"', nameStart + 1);
                var name = nameEnd < 0 ? "?" : line[(nameStart + 1)..nameEnd].ToUpperInvariant();
                lock (_byCommand)
                {
                    if (name == "ECHO" && _awaitedMarker is { } marker && line.Contains(marker, StringComparison.Ordinal))
                    {
                        _awaitedMarker = null;
                        _markerSeen?.TrySetResult();
                        continue;
                    }

                    if (isLua)
                    {
                        _lua++;
                    }
                    else if (name is not ("ECHO" or "INFO" or "DBSIZE"))
                    {
                        _byCommand[name] = _byCommand.GetValueOrDefault(name) + 1;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _client.Dispose();
        await _reading.ConfigureAwait(false);
        _stop.Dispose();
    }
}
