using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Presence.Core.Tests.Support;

namespace Presence.Core.Tests;

public sealed class PresenceEventBusTests
{
    [Fact]
    public async Task AThrowingHandler_IsLogged_AndTheOtherHandlersStillRun()
    {
        await using var context = new PresenceTestContext(b => b.AddEventHandler((_, _, _) => throw new InvalidOperationException("handler bug")));

        Assert.Equal(PresenceChange.CameOnline, (await context.Tracker.ConnectAsync("alice", "a")).Change);
        Assert.Equal(PresenceChange.WentOffline, (await context.Tracker.DisconnectAsync("alice", "a")).Change);

        Assert.Equal([typeof(UserOnline), typeof(UserOffline)], context.Events.Events.Select(e => e.GetType()));
        var failures = context.Logs.WithEventId(1001);
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Equal(LogLevel.Error, f.Level));
        Assert.All(failures, f => Assert.Equal("handler bug", f.Exception?.Message));
        Assert.Contains(nameof(UserOnline), failures[0].Message, StringComparison.Ordinal);
        Assert.Contains("DelegateEventHandler", failures[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AThrowingHandler_DoesNotStopTheSweep()
    {
        await using var context = new PresenceTestContext(b => b.AddEventHandler((_, _, _) => ValueTask.FromException(new InvalidOperationException("async handler bug"))));
        await context.Tracker.ConnectAsync("alice", "a");
        await context.Tracker.ConnectAsync("bob", "b");
        context.Time.Advance(PresenceTestContext.Ttl);

        Assert.Equal(2, await context.Tracker.SweepAsync());

        Assert.Equal(2, context.Events.Events.OfType<UserOffline>().Count(e => e.Reason == OfflineReason.Expired));
        Assert.Equal(default, await context.Tracker.GetCountsAsync());
        Assert.Equal(4, context.Logs.WithEventId(1001).Count);
    }

    [Fact]
    public async Task Handlers_RunInRegistrationOrder()
    {
        var order = new List<string>();
        await using var context = new PresenceTestContext(b => b
            .AddEventHandler((_, e, _) => { order.Add("first:" + e.UserId); return ValueTask.CompletedTask; })
            .AddEventHandler((_, e, _) => { order.Add("second:" + e.UserId); return ValueTask.CompletedTask; }));

        await context.Tracker.ConnectAsync("alice", "a");

        Assert.Equal(["first:alice", "second:alice"], order);
    }

    [Fact]
    public async Task AHandlerMayDependOnTheTracker()
    {
        await using var context = new PresenceTestContext(b => b.AddEventHandler<OnlineCheckingHandler>());

        await context.Tracker.ConnectAsync("alice", "a");
        await context.Tracker.DisconnectAsync("alice", "a");

        var handler = context.Services.GetServices<IPresenceEventHandler>().OfType<OnlineCheckingHandler>().Single();
        Assert.Equal([true, false], handler.SeenOnline);
    }

    [Fact]
    public async Task Cancellation_ReachesHandlers_AndIsNotLoggedAsAHandlerFailure()
    {
        using var cancellation = new CancellationTokenSource();
        var calls = 0;
        await using var context = new PresenceTestContext(b => b
            .AddEventHandler((_, _, ct) => { calls++; cancellation.Cancel(); ct.ThrowIfCancellationRequested(); return ValueTask.CompletedTask; }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.Tracker.ConnectAsync("alice", "a", cancellation.Token).AsTask());

        Assert.Equal(1, calls);
        Assert.Empty(context.Logs.WithEventId(1001));
    }

    private sealed class OnlineCheckingHandler(IPresenceTracker tracker) : IPresenceEventHandler
    {
        public List<bool> SeenOnline { get; } = [];

        public async ValueTask HandleAsync(PresenceEvent presenceEvent, CancellationToken cancellationToken) =>
            SeenOnline.Add(await tracker.IsOnlineAsync(presenceEvent.UserId, cancellationToken));
    }
}
