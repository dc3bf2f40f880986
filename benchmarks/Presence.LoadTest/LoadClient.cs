using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Presence.SignalR;

namespace Presence.LoadTest;

/// <summary>
/// One simulated user: one WebSocket connection to the presence hub, a view of who on its team is
/// online (bulk-online, then online/offline events, like the reference React hook), and a ping loop.
/// Like the demo page, it follows the protocol's ordering rule: an online or offline older than the
/// last one applied for that user is ignored, since events from a sweep and a ping may cross.
/// </summary>
internal sealed class LoadClient : IAsyncDisposable
{
    private readonly HashSet<string> _view = new(StringComparer.Ordinal);
    private readonly HashSet<string> _heardOnline = new(StringComparer.Ordinal);
    private HashSet<string>? _bulk;
    private readonly Dictionary<string, DateTimeOffset> _lastApplied = new(StringComparer.Ordinal);
    private readonly LoadTestRun _run;
    private HubConnection? _connection;

    public LoadClient(LoadTestRun run, string userId, string team)
    {
        _run = run;
        UserId = userId;
        Team = team;
    }

    public string UserId { get; }

    public string Team { get; }

    public string? AccessToken { get; set; }

    public bool IsConnected => _connection?.State == HubConnectionState.Connected;

    public bool Sees(IEnumerable<string> users)
    {
        lock (_view)
        {
            return users.All(_view.Contains);
        }
    }

    public async Task ConnectAsync(Uri hubUrl, CancellationToken cancellationToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hubUrl, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.AccessTokenProvider = () => Task.FromResult(AccessToken);
            })
            .Build();
        connection.On<PresenceBulkOnlineMessage>(PresenceHubMethods.BulkOnline, message =>
        {
            lock (_view)
            {
                _view.UnionWith(message.Users);
                _bulk = new HashSet<string>(message.Users, StringComparer.Ordinal);
            }
        });
        connection.On<PresenceOnlineMessage>(PresenceHubMethods.Online, message =>
        {
            var received = Stopwatch.GetTimestamp();
            bool first;
            bool stale;
            lock (_view)
            {
                // Already in the list bulk-online gave this connection: the event was queued behind it.
                stale = _bulk is not null && _bulk.Contains(message.UserId) && !string.Equals(message.UserId, UserId, StringComparison.Ordinal);
                if (IsCurrent(message.UserId, message.Timestamp))
                {
                    _view.Add(message.UserId);
                }

                first = _heardOnline.Add(message.UserId);
            }

            _run.OnlineReceived(UserId, message, received, first);
            if (stale)
            {
                _run.StaleOnlineReceived();
            }
        });
        connection.On<PresenceOfflineMessage>(PresenceHubMethods.Offline, message =>
        {
            _run.OfflineReceived(message.UserId, message.Reason);
            lock (_view)
            {
                if (IsCurrent(message.UserId, message.Timestamp))
                {
                    _view.Remove(message.UserId);
                }
            }
        });
        connection.Closed += error =>
        {
            _run.ConnectionClosed(UserId, error);
            return Task.CompletedTask;
        };
        _connection = connection;

        _run.ConnectStarting(UserId, Stopwatch.GetTimestamp());
        await connection.StartAsync(cancellationToken).ConfigureAwait(false);
        _run.Connected(UserId, Stopwatch.GetTimestamp());
    }

    public Task<PresenceResult> PingOnceAsync(CancellationToken cancellationToken) =>
        (_connection ?? throw new InvalidOperationException("Connect first.")).InvokeAsync<PresenceResult>(PresenceHubMethods.Ping, cancellationToken);

    /// <summary>Pings every <paramref name="interval"/> after a random offset, until cancelled.</summary>
    public async Task PingLoopAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var connection = _connection ?? throw new InvalidOperationException("Connect first.");
        try
        {
            await Task.Delay(TimeSpan.FromTicks(Random.Shared.NextInt64(interval.Ticks)), cancellationToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(interval);
            do
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var result = await connection.InvokeAsync<PresenceResult>(PresenceHubMethods.Ping, cancellationToken).ConfigureAwait(false);
                    _run.PingCompleted(Stopwatch.GetTimestamp() - started, result.Success);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception)
                {
                    _run.Error("ping", UserId, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Whether an event stamped <paramref name="timestamp"/> is not older than the last applied for the user; records it if so. Caller holds the view's lock.</summary>
    private bool IsCurrent(string userId, string timestamp)
    {
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return true;
        }

        if (_lastApplied.TryGetValue(userId, out var last) && at < last)
        {
            return false;
        }

        _lastApplied[userId] = at;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
