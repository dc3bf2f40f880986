using Microsoft.AspNetCore.SignalR.Client;
using Presence.Chaos.History;
using Presence.Chaos.Infrastructure;

namespace Presence.Chaos.Scenario;

/// <summary>
/// One official .NET SignalR client connection of a simulated user: records everything it
/// receives into its <see cref="SessionHistory"/>, pings like the reference client, and can set a
/// status, go silent, or close (optionally with a ping still in flight).
/// </summary>
internal sealed class ChaosSession : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);
    private readonly HubConnection _connection;
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _pinging = new();
    private readonly TimeSpan _heartbeat;
    private readonly SemaphoreSlim _watchCalls = new(1, 1);
    private Task _pingLoop = Task.CompletedTask;
    private int _closing;

    public ChaosSession(SessionHistory history, DemoNode node, string token, TimeSpan heartbeat)
    {
        History = history;
        Node = node;
        _heartbeat = heartbeat;
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(node.BaseAddress, "/hubs/presence"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        _connection.On<OnlinePayload>("presence:online", p => History.Record(new ReceivedEvent
        {
            Kind = EventKind.Online, UserId = p.UserId, Version = p.Version, ArrivedAt = RunClock.Now,
            DecidedAt = RunClock.FromStoreTimestamp(p.Timestamp),
        }));
        _connection.On<OfflinePayload>("presence:offline", p => History.Record(new ReceivedEvent
        {
            Kind = EventKind.Offline, UserId = p.UserId, Version = p.Version, Reason = p.Reason, ArrivedAt = RunClock.Now,
            DecidedAt = RunClock.FromStoreTimestamp(p.Timestamp),
        }));
        _connection.On<StatusPayload>("presence:status", p => History.Record(new ReceivedEvent
        {
            Kind = EventKind.Status, UserId = p.UserId, Version = p.Version, Status = p.Status, ArrivedAt = RunClock.Now,
            DecidedAt = RunClock.FromStoreTimestamp(p.Timestamp),
        }));
        _connection.On<BulkOnlinePayload>("presence:bulk-online", p =>
        {
            var now = RunClock.Now;
            History.Record(new ReceivedEvent
            {
                Kind = EventKind.BulkOnline, UserId = string.Empty, ArrivedAt = now, Users = p.Users, Versions = p.Versions,
            });
            if (double.IsNaN(History.RegisteredAt))
            {
                History.RegisteredAt = now;
            }
            else
            {
                // A resync (the server re-sent the snapshot after a fault): like @presence/client, watch again.
                _ = ResubscribeAsync();
            }

            _registered.TrySetResult();
        });
        _connection.Closed += error =>
        {
            if (!History.IsClosed)
            {
                History.ClosedAt = RunClock.Now;
                History.CloseCause = "lost: " + (error?.GetType().Name ?? "closed by server");
            }

            _registered.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public SessionHistory History { get; }

    public DemoNode Node { get; }

    public bool IsSilent => !double.IsNaN(History.SilentAt);

    /// <summary>
    /// Connects and waits for its bulk-online (registration done); false if the node or Redis refused
    /// or died meanwhile. Not cancellable by the end of the action phase: a connect under way
    /// finishes and pings, or it would be an open connection the truth believes alive but never pinging.
    /// </summary>
    public async Task<bool> StartAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(CallTimeout);
            await _connection.StartAsync(timeout.Token);
            await _registered.Task.WaitAsync(CallTimeout);
        }
        catch (Exception)
        {
            // Recorded below as a failed connect.
        }

        if (double.IsNaN(History.RegisteredAt) || History.IsClosed)
        {
            await CloseAsync(pingInFlight: false, cause: History.CloseCause ?? "connect failed");
            return false;
        }

        _pingLoop = PingLoopAsync(_pinging.Token);
        return true;
    }

    /// <summary>
    /// Stops heartbeats for good while the socket stays open: the lease must run out. A ping already
    /// sent is awaited (not abandoned), so its reply, if any, is the last lease the truth knows of.
    /// </summary>
    public async Task GoSilentAsync()
    {
        History.SilentAt = RunClock.Now;
        await _pinging.CancelAsync();
        await _pingLoop;
    }

    /// <summary>The users this connection subscribed to and has not unsubscribed from (as far as the test knows).</summary>
    public HashSet<string> Subscribed { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>presence:subscribe</c>: records when it was sent (the connection is entitled to these users' events
    /// from then on) and the reply, a snapshot of the users named, as the connection receives it.
    /// </summary>
    public async Task SubscribeAsync(string[] userIds, CancellationToken cancellationToken)
    {
        if (userIds.Length == 0 || _connection.State != HubConnectionState.Connected)
        {
            return;
        }

        await _watchCalls.WaitAsync(CancellationToken.None);
        try
        {
            await SubscribeOnceAsync(userIds, cancellationToken);
        }
        finally
        {
            _watchCalls.Release();
        }
    }

    private async Task ResubscribeAsync()
    {
        await _watchCalls.WaitAsync(CancellationToken.None);
        try
        {
            if (Subscribed.Count > 0 && _connection.State == HubConnectionState.Connected)
            {
                await SubscribeOnceAsync([.. Subscribed], CancellationToken.None);
            }
        }
        finally
        {
            _watchCalls.Release();
        }
    }

    private async Task SubscribeOnceAsync(string[] userIds, CancellationToken cancellationToken)
    {

        History.Record(new ReceivedEvent { Kind = EventKind.SubscribeSent, UserId = string.Empty, ArrivedAt = RunClock.Now, Scope = userIds });
        Subscribed.UnionWith(userIds);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CallTimeout);
            var reply = await _connection.InvokeAsync<SubscribeReply>("presence:subscribe", new SubscriptionRequest(userIds), timeout.Token);
            History.Record(new ReceivedEvent
            {
                Kind = EventKind.SubscribeReply, UserId = string.Empty, ArrivedAt = RunClock.Now, Scope = userIds,
                Users = reply.Online, Versions = reply.Versions,
            });
            History.Subscribes++;
        }
        catch (Exception)
        {
            // Store down, node paused: the server may or may not have joined the watch groups; the checker keeps
            // the connection entitled, and judges no view of these users until a reply comes.
        }
    }

    /// <summary><c>presence:unsubscribe</c>; the subscription ends for the checker only once the reply came.</summary>
    public async Task UnsubscribeAsync(string[] userIds, CancellationToken cancellationToken)
    {
        if (_connection.State != HubConnectionState.Connected)
        {
            return;
        }

        await _watchCalls.WaitAsync(CancellationToken.None);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CallTimeout);
            var reply = await _connection.InvokeAsync<PresenceReply>("presence:unsubscribe", new SubscriptionRequest(userIds), timeout.Token);
            if (reply.Success)
            {
                History.Record(new ReceivedEvent { Kind = EventKind.Unsubscribed, UserId = string.Empty, ArrivedAt = RunClock.Now, Scope = userIds });
                Subscribed.ExceptWith(userIds);
                History.Unsubscribes++;
            }
        }
        catch (Exception)
        {
            // Still subscribed, as far as the checker knows.
        }
        finally
        {
            _watchCalls.Release();
        }
    }

    public async Task SetStatusAsync(string status, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CallTimeout);
            var reply = await _connection.InvokeAsync<PresenceReply>("presence:set-status", new SetStatusRequest(status), timeout.Token);
            if (reply.Success)
            {
                History.StatusesSet++;
            }
        }
        catch (Exception)
        {
            // Store down, node paused, connection lost: the scenario goes on.
        }
    }

    /// <summary>Closes the connection; with <paramref name="pingInFlight"/>, a ping is sent just before, not awaited.</summary>
    public async Task CloseAsync(bool pingInFlight, string cause)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }

        if (pingInFlight && _connection.State == HubConnectionState.Connected)
        {
            _ = _connection.SendAsync("presence:ping");
        }

        if (!History.IsClosed)
        {
            History.ClosedAt = RunClock.Now;
            History.CloseCause = cause;
        }

        // Dispose first: it aborts a ping still waiting for its reply, which must not outlive the close.
        await _pinging.CancelAsync();
        try
        {
            await _connection.DisposeAsync();
        }
        catch (Exception)
        {
            // A dead node.
        }

        await _pingLoop;
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(pingInFlight: false, cause: "end of run");
        _pinging.Dispose();
    }

    private async Task PingLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_heartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var sentAt = RunClock.Now;
                try
                {
                    // Not linked to the loop's token: going silent waits for this reply; a close aborts it.
                    using var timeout = new CancellationTokenSource(CallTimeout);
                    var reply = await _connection.InvokeAsync<PresenceReply>("presence:ping", timeout.Token);
                    if (reply.Success)
                    {
                        History.LastPingSentAt = sentAt;
                        History.LastPingAckAt = RunClock.Now;
                        History.PingsOk++;
                    }
                }
                catch (Exception)
                {
                    // A node or Redis outage: keep pinging like the browser client would.
                    History.PingsFailed++;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
