using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Presence.SignalR.Tests.Hubs;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>Presence attached to hosts' own hubs through the hub filter: no base class, failures contained.</summary>
public sealed class HubFilterTests
{
    private const string ChatPath = "/hubs/chat";
    private const string ThrowingPath = "/hubs/throwing";
    private const string PresencePath = "/hubs/presence";

    private static readonly string[] s_everyone = ["alice", "bob", "carol", "sentinel", ThrowingHub.FailsOnConnect, ThrowingHub.FailsOnDisconnect];

    private static Task<TestApp> StartOwnHubsAsync() => TestApp.StartHostAsync(
        builder =>
        {
            // Users audience: everybody in a fixed list hears about everybody else in it.
            builder.Services.AddPresence().AddInterestResolver((_, _, _) => ValueTask.FromResult<IEnumerable<string>>(s_everyone));
            builder.Services.AddSignalR().AddPresence<ChatHub>().AddPresence<ThrowingHub>();
        },
        app =>
        {
            app.MapHub<ChatHub>(ChatPath);
            app.MapHub<ThrowingHub>(ThrowingPath);
        });

    [Fact]
    public async Task A_host_hub_without_a_base_class_gets_the_whole_contract()
    {
        await using var app = await StartOwnHubsAsync();
        await using var bob = await app.ConnectHostAsync(ChatPath, "bob");
        Assert.Equal(["bob"], bob.BulkOnline);

        await using var alice = await app.ConnectHostAsync(ChatPath, "alice");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        Assert.Equal(["alice", "bob"], alice.BulkOnline.Order(StringComparer.Ordinal));
        Assert.Equal("""{"success":true}""", (await alice.PingAsync()).GetRawText());
        Assert.Equal("hi", await alice.Connection.InvokeAsync<string>("Echo", "hi"));

        await alice.Connection.StopAsync();
        Assert.Equal("disconnected", (await bob.ExpectAsync(PresenceHubMethods.Offline, "alice")).Reason);
    }

    [Fact]
    public async Task When_the_host_OnConnectedAsync_throws_no_presence_entry_leaks_and_nobody_hears()
    {
        await using var app = await StartOwnHubsAsync();
        await using var bob = await app.ConnectHostAsync(ThrowingPath, "bob");
        await using var failing = app.CreateHostClient(ThrowingPath, ThrowingHub.FailsOnConnect);

        await failing.Connection.StartAsync();
        await failing.WaitClosedAsync();

        Assert.Equal(new PresenceCounts(1, 1), await app.Store.GetCountsAsync());
        await using var sentinel = await app.ConnectHostAsync(ThrowingPath, "sentinel");
        await bob.ExpectAsync(PresenceHubMethods.Online, "sentinel");
    }

    [Fact]
    public async Task When_the_host_OnDisconnectedAsync_throws_presence_still_cleans_up()
    {
        await using var app = await StartOwnHubsAsync();
        await using var bob = await app.ConnectHostAsync(ThrowingPath, "bob");
        var failing = await app.ConnectHostAsync(ThrowingPath, ThrowingHub.FailsOnDisconnect);
        await bob.ExpectAsync(PresenceHubMethods.Online, ThrowingHub.FailsOnDisconnect);

        await failing.DisposeAsync();

        var offline = await bob.ExpectAsync(PresenceHubMethods.Offline, ThrowingHub.FailsOnDisconnect);
        Assert.Equal("disconnected", offline.Reason);
        await app.WaitForConnectionCountAsync(ThrowingHub.FailsOnDisconnect, 0);
    }

    [Fact]
    public async Task Presence_attached_to_two_hubs_tracks_both_and_each_hears_through_its_own_hub()
    {
        await using var app = await StartOwnHubsAsync();
        await using var chatBob = await app.ConnectHostAsync(ChatPath, "bob");
        await using var throwingCarol = await app.ConnectHostAsync(ThrowingPath, "carol");

        await chatBob.ExpectAsync(PresenceHubMethods.Online, "carol");
        await using var alice = await app.ConnectHostAsync(ChatPath, "alice");

        await chatBob.ExpectAsync(PresenceHubMethods.Online, "alice");
        await throwingCarol.ExpectAsync(PresenceHubMethods.Online, "alice");
        Assert.Equal(new PresenceCounts(3, 3), await app.Store.GetCountsAsync());
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("   ", "white space")]
    [InlineData("bad\u0001id", "control characters")]
    [InlineData(null, "at most 256")]
    public async Task An_invalid_user_identifier_is_refused_with_a_clear_reason(string? userId, string reason)
    {
        userId ??= new string('x', PresenceId.MaxLength + 1);
        await using var app = await StartOwnHubsAsync();
        await using var client = app.CreateHostClient(ChatPath, userId);

        await client.Connection.StartAsync();
        var error = await client.WaitClosedAsync();

        Assert.Contains("user identifier is invalid", error?.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error?.Message, StringComparison.Ordinal);
        Assert.Equal(new PresenceCounts(0, 0), await app.Store.GetCountsAsync());
    }

    [Fact]
    public async Task Ping_on_a_hub_presence_is_not_attached_to_explains_the_fix()
    {
        // Presence itself is added, SignalR too, but presence is attached to no hub: nothing can check at start.
        await using var app = await TestApp.StartHostAsync(
            builder =>
            {
                builder.Services.AddPresence();
                builder.Services.AddSignalR();
            },
            app => app.MapHub<PlainHub>("/hubs/plain"));
        await using var client = app.CreateHostClient("/hubs/plain", "alice");
        await client.Connection.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => client.PingAsync());

        Assert.Contains("'presence:ping' failed: presence is not attached to PlainHub. Register it with services.AddSignalR().AddPresence<PlainHub>().", error.Message, StringComparison.Ordinal);
        Assert.Equal(new PresenceCounts(0, 0), await app.Store.GetCountsAsync());
    }

    [Fact]
    public async Task The_ready_hub_refuses_anonymous_connections_at_negotiate_with_401()
    {
        await using var app = await StartReadyHubAsync(ignoreAnonymous: false);
        await using var anonymous = app.CreateHostClient(PresencePath, userId: null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.Connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(HubConnectionState.Disconnected, anonymous.Connection.State);
        Assert.Equal(new PresenceCounts(0, 0), await app.Store.GetCountsAsync());
    }

    [Fact]
    public async Task The_ready_hub_refuses_anonymous_websockets_without_negotiate_too()
    {
        await using var app = await StartReadyHubAsync(ignoreAnonymous: false);
        await using var anonymous = new PresenceTestClient(
            new HubConnectionBuilder().WithUrl(new Uri(app.BaseUrl, PresencePath), o =>
            {
                o.SkipNegotiation = true;
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            }).Build(),
            userId: null);

        await Assert.ThrowsAnyAsync<Exception>(() => anonymous.Connection.StartAsync());

        Assert.Equal(HubConnectionState.Disconnected, anonymous.Connection.State);
    }

    [Fact]
    public async Task A_host_hub_with_RequirePresenceUser_refuses_anonymous_clients_with_401_and_logs_no_error()
    {
        await using var app = await TestApp.StartHostAsync(
            builder =>
            {
                builder.Logging.AddFakeLogging();
                builder.Services.AddPresence().AddInterestResolver((_, _, _) => ValueTask.FromResult<IEnumerable<string>>(s_everyone));
                builder.Services.AddSignalR().AddPresence<ChatHub>();
            },
            app => app.MapHub<ChatHub>(ChatPath).RequirePresenceUser());
        await using var anonymous = app.CreateHostClient(ChatPath, userId: null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.Connection.StartAsync());
        await using var bob = await app.ConnectHostAsync(ChatPath, "bob");

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(["bob"], bob.BulkOnline);
        Assert.Equal("hi", await bob.Connection.InvokeAsync<string>("Echo", "hi"));
        Assert.DoesNotContain(app.Services.GetFakeLogCollector().GetSnapshot(), r => r.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Ignored_anonymous_connections_are_not_refused_at_negotiate()
    {
        await using var app = await StartReadyHubAsync(ignoreAnonymous: true);
        await using var anonymous = app.CreateHostClient(PresencePath, userId: null);

        await anonymous.Connection.StartAsync();

        Assert.Equal(HubConnectionState.Connected, anonymous.Connection.State);
    }

    [Fact]
    public async Task Ignored_anonymous_connections_hear_nothing_when_everyone_sees_everyone()
    {
        await using var app = await StartReadyHubAsync(ignoreAnonymous: true);
        await using var anonymous = app.CreateHostClient(PresencePath, userId: null);
        await anonymous.Connection.StartAsync();
        await using var bob = await app.ConnectHostAsync(PresencePath, "bob");

        await using var alice = await app.ConnectHostAsync(PresencePath, "alice");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        await alice.SetStatusAsync("away");
        await bob.ExpectAsync(PresenceHubMethods.Status, "alice");
        await alice.Connection.StopAsync();
        await bob.ExpectAsync(PresenceHubMethods.Offline, "alice");

        // The ping's reply is written after every event above, so anything sent to the anonymous connection has arrived.
        await anonymous.PingAsync();
        Assert.False(anonymous.TryPeekPending(out var heard), $"the anonymous connection heard {heard}");
    }

    [Fact]
    public async Task Ignored_anonymous_connections_stay_connected_untracked_and_their_ping_reports_false()
    {
        await using var app = await StartReadyHubAsync(ignoreAnonymous: true);
        await using var bob = await app.ConnectHostAsync(PresencePath, "bob");
        await using var anonymous = app.CreateHostClient(PresencePath, userId: null);

        await anonymous.Connection.StartAsync();
        var ping = await anonymous.PingAsync();

        Assert.Equal("""{"success":false}""", ping.GetRawText());
        Assert.Equal(HubConnectionState.Connected, anonymous.Connection.State);
        Assert.Equal(new PresenceCounts(1, 1), await app.Store.GetCountsAsync());
        await anonymous.Connection.StopAsync();
        await using var sentinel = await app.ConnectHostAsync(PresencePath, "sentinel");
        await bob.ExpectAsync(PresenceHubMethods.Online, "sentinel");
    }

    [Fact]
    public async Task Everyone_sees_everyone_reaches_all_tracked_connections_and_lists_all_online_users()
    {
        await using var app = await StartReadyHubAsync(ignoreAnonymous: false);
        await using var bob = await app.ConnectHostAsync(PresencePath, "bob");
        await using var alice = await app.ConnectHostAsync(PresencePath, "alice");

        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        Assert.Equal(["alice", "bob"], alice.BulkOnline.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Mapping_the_ready_hub_without_attaching_presence_fails_with_the_fix()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddSignalR();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapPresenceHub(PresencePath));

        Assert.Contains("AddSignalR().AddPresence()", error.Message, StringComparison.Ordinal);
    }

    private static Task<TestApp> StartReadyHubAsync(bool ignoreAnonymous) => TestApp.StartHostAsync(
        builder =>
        {
            // Through configuration, as an app would set it: Presence__SignalR__IgnoreAnonymousConnections=true.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Presence:SignalR:IgnoreAnonymousConnections"] = ignoreAnonymous ? "true" : "false",
            });
            builder.Services.AddPresence().AddEveryoneSeesEveryone();
            builder.Services.AddSignalR().AddPresence();
        },
        app => app.MapPresenceHub(PresencePath));
}
