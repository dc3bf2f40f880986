using Xunit;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace Presence.SignalR.Tests.Infrastructure;

/// <summary>A .NET SignalR client that records every presence message in arrival order.</summary>
internal sealed class PresenceTestClient : IAsyncDisposable
{
    private readonly Channel<ReceivedMessage> _messages = Channel.CreateUnbounded<ReceivedMessage>();
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PresenceTestClient(HubConnection connection, string? userId)
    {
        Connection = connection;
        UserId = userId;
        foreach (var method in new[] { PresenceHubMethods.Online, PresenceHubMethods.Offline, PresenceHubMethods.BulkOnline, PresenceHubMethods.Status })
        {
            connection.On<JsonElement>(method, payload => _messages.Writer.TryWrite(new ReceivedMessage(method, payload)));
        }

        connection.Closed += error =>
        {
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    public string? UserId { get; }

    /// <summary>The users of the last <c>presence:bulk-online</c>, received by <see cref="StartAsync"/>.</summary>
    public IReadOnlyList<string> BulkOnline { get; private set; } = [];

    /// <summary>The raw <c>presence:bulk-online</c> message.</summary>
    public ReceivedMessage? BulkOnlineMessage { get; private set; }

    /// <summary>Completes when the connection closes, with the server's error if any.</summary>
    public Task<Exception?> Closed => _closed.Task;

    /// <summary>
    /// Starts the connection and waits for its <c>presence:bulk-online</c>, which the server sends once
    /// the connection is registered. Messages before it (the user's own online event) are dropped.
    /// </summary>
    public async Task StartAsync()
    {
        await Connection.StartAsync();
        ReceivedMessage message;
        do
        {
            message = await NextAsync();
        }
        while (message.Method != PresenceHubMethods.BulkOnline);

        BulkOnlineMessage = message;
        BulkOnline = message.Users;
    }

    public async Task<ReceivedMessage> NextAsync()
    {
        using var cts = new CancellationTokenSource(Timeouts.Default);
        try
        {
            return await _messages.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{UserId ?? "anonymous"} received no presence message within {Timeouts.Default}.");
        }
    }

    /// <summary>Reads the next message and checks it is <paramref name="method"/> about <paramref name="userId"/>.</summary>
    public async Task<ReceivedMessage> ExpectAsync(string method, string userId)
    {
        var message = await NextAsync();
        Assert.True(message.Method == method && message.UserId == userId, $"{UserId} expected {method} about {userId}, got {message}.");
        return message;
    }

    /// <summary>Whether a message is already waiting (used after a barrier event proved ordering).</summary>
    public bool TryPeekPending(out ReceivedMessage? message) => _messages.Reader.TryPeek(out message);

    public Task<JsonElement> PingAsync() => Connection.InvokeAsync<JsonElement>(PresenceHubMethods.Ping);

    public Task<JsonElement> SetStatusAsync(string? status) =>
        Connection.InvokeAsync<JsonElement>(PresenceHubMethods.SetStatus, new { status });

    public Task<JsonElement> SubscribeAsync(params string?[] userIds) =>
        Connection.InvokeAsync<JsonElement>(PresenceHubMethods.Subscribe, new { userIds });

    public Task<JsonElement> UnsubscribeAsync(params string?[] userIds) =>
        Connection.InvokeAsync<JsonElement>(PresenceHubMethods.Unsubscribe, new { userIds });

    /// <summary>Every message received before the first one about <paramref name="barrierUserId"/>, which is consumed too.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveUntilAsync(string barrierUserId)
    {
        var heard = new List<ReceivedMessage>();
        ReceivedMessage message;
        while ((message = await NextAsync()).UserId != barrierUserId)
        {
            heard.Add(message);
        }

        return heard;
    }

    /// <summary>
    /// Proves nothing else is queued: <paramref name="barrierUserId"/>'s event was sent after everything
    /// the test wants to rule out, so it must be the very next message.
    /// </summary>
    public async Task ExpectNothingBeforeAsync(string method, string barrierUserId)
    {
        var message = await NextAsync();
        Assert.True(message.Method == method && message.UserId == barrierUserId, $"{UserId} expected nothing before {method} about {barrierUserId}, got {message}.");
    }

    public Task<Exception?> WaitClosedAsync() => Closed.WaitAsync(Timeouts.Default);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
