using Microsoft.AspNetCore.SignalR.Client;

namespace Presence.ScaleOut.Tests.Infrastructure;

/// <summary>A SignalR client of the demo that records every presence message and can ping like the reference client.</summary>
internal sealed class PresenceClient : IAsyncDisposable
{
    private readonly List<PresenceMessage> _messages = [];
    private readonly List<BulkOnlinePayload> _bulks = [];
    private TaskCompletionSource _changed = NewSignal();
    private CancellationTokenSource? _pinging;
    private Task? _pingLoop;
    private int _sequence;

    private PresenceClient(string userId, DemoNode node, HubConnection connection)
    {
        UserId = userId;
        Node = node;
        Connection = connection;
        connection.On<OnlinePayload>("presence:online", p => Record(new PresenceMessage("online", p.UserId, null, p.Version, 0)));
        connection.On<OfflinePayload>("presence:offline", p => Record(new PresenceMessage("offline", p.UserId, p.Reason, p.Version, 0)));
        connection.On<BulkOnlinePayload>("presence:bulk-online", p =>
        {
            lock (_messages)
            {
                _bulks.Add(p);
            }

            Record(new PresenceMessage("bulk", string.Join(',', p.Users), null, 0, 0));
        });
    }

    public string UserId { get; }

    public DemoNode Node { get; }

    public HubConnection Connection { get; }

    public static async Task<PresenceClient> ConnectAsync(DemoNode node, string userId, string team)
    {
        var token = await node.GetTokenAsync(userId, team);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(node.BaseAddress, "/hubs/presence"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var client = new PresenceClient(userId, node, connection);
        await connection.StartAsync();
        await client.WaitForAsync(m => m.Kind == "bulk", TimeSpan.FromSeconds(30), "the bulk-online list after connect");
        return client;
    }

    public IReadOnlyList<PresenceMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public string[] LastBulk => LastBulkMessage.Users;

    /// <summary>The last <c>presence:bulk-online</c>, with its versions and heartbeat interval.</summary>
    public BulkOnlinePayload LastBulkMessage
    {
        get
        {
            lock (_messages)
            {
                return _bulks[^1];
            }
        }
    }

    public IReadOnlyList<PresenceMessage> About(string userId) => [.. Messages.Where(m => m.UserId == userId)];

    /// <summary>Pings like the reference client, every <paramref name="interval"/>, until disposed.</summary>
    public void StartPinging(TimeSpan interval)
    {
        _pinging = new CancellationTokenSource();
        var token = _pinging.Token;
        _pingLoop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(token))
                {
                    try
                    {
                        await Connection.InvokeAsync<PingReply>("presence:ping", token);
                    }
                    catch (Exception) when (!token.IsCancellationRequested)
                    {
                        // A node or Redis outage: keep pinging like the browser client would.
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public async Task<PresenceMessage> WaitForAsync(Func<PresenceMessage, bool> match, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task changed;
            lock (_messages)
            {
                var found = _messages.FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException(
                    $"{UserId} on {Node.Name} did not receive {because} within {timeout.TotalSeconds:0} s. Received: "
                    + string.Join("; ", Messages.Select(m => $"{m.Kind} {m.UserId} {m.Reason}")));
            }

            try
            {
                await changed.WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    public Task<PresenceMessage> WaitForOnlineAsync(string userId, TimeSpan timeout) =>
        WaitForAsync(m => m.Kind == "online" && m.UserId == userId, timeout, $"presence:online for {userId}");

    public Task<PresenceMessage> WaitForOfflineAsync(string userId, TimeSpan timeout) =>
        WaitForAsync(m => m.Kind == "offline" && m.UserId == userId, timeout, $"presence:offline for {userId}");

    public async Task StopPingingAsync()
    {
        if (_pinging is not null)
        {
            await _pinging.CancelAsync();
            await (_pingLoop ?? Task.CompletedTask);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopPingingAsync();
        _pinging?.Dispose();
        await Connection.DisposeAsync();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Record(PresenceMessage message)
    {
        TaskCompletionSource changed;
        lock (_messages)
        {
            _messages.Add(message with { Sequence = ++_sequence });
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }
}
