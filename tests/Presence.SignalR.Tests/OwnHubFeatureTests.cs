using Microsoft.AspNetCore.Builder;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Presence.SignalR.Tests.Hubs;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>
/// Status, subscriptions and the hub method guards on a host's own hub (the one-liners), with the
/// default subscription authorizer and a fake clock for the rate limits.
/// </summary>
public sealed class OwnHubFeatureTests
{
    private const string ChatPath = "/hubs/chat";
    private const string PresencePath = "/hubs/presence";

    // Members see each other; oscar sees only himself and nobody hears about him.
    private static readonly string[] s_members = ["alice", "bob", "carol", "sentinel"];

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private Task<TestApp> StartAsync(Dictionary<string, string?>? settings = null) => TestApp.StartHostAsync(
        builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings ?? []);
            builder.Services.AddSingleton<TimeProvider>(_time);
            builder.Services.AddPresence().AddInterestResolver(
                (_, userId, _) => ValueTask.FromResult(userId == "oscar" ? PresenceAudience.Nobody : PresenceAudience.ForUsers(s_members)),
                (_, viewerId, _) => ValueTask.FromResult(PresenceVisibility.ForUsers(viewerId == "oscar" ? ["oscar"] : s_members)));
            builder.Services.AddSignalR().AddPresence<ChatHub>().AddPresence(o => o.IgnoreAnonymousConnections = true);
        },
        app =>
        {
            app.MapHub<ChatHub>(ChatPath);
            app.MapPresenceHub(PresencePath);
        });

    private static IReadOnlyList<string> Online(JsonElement reply) => [.. reply.GetProperty("online").EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task The_default_authorizer_drops_users_the_viewer_may_not_see_silently()
    {
        await using var app = await StartAsync();
        await using var bob = await app.ConnectHostAsync(ChatPath, "bob");
        await using var oscar = await app.ConnectHostAsync(ChatPath, "oscar");
        await using var carol = await app.ConnectHostAsync(ChatPath, "carol");
        await bob.ExpectAsync(PresenceHubMethods.Online, "carol");

        var reply = await bob.SubscribeAsync("carol", "oscar");
        Assert.Equal(["carol"], Online(reply));

        Assert.True((await oscar.SetStatusAsync("busy")).GetProperty("success").GetBoolean());
        await oscar.Connection.StopAsync();
        await app.WaitForConnectionCountAsync("oscar", 0);
        await using var sentinel = await app.ConnectHostAsync(ChatPath, "sentinel");
        await bob.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "sentinel");
    }

    [Fact]
    public async Task The_one_liners_work_on_a_host_hub_and_status_reaches_a_user_audience()
    {
        await using var app = await StartAsync();
        await using var bob = await app.ConnectHostAsync(ChatPath, "bob");
        await using var alice = await app.ConnectHostAsync(ChatPath, "alice");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");

        Assert.Equal("""{"success":true}""", (await alice.SetStatusAsync("away")).GetRawText());

        Assert.Equal("away", (await bob.ExpectAsync(PresenceHubMethods.Status, "alice")).Status);
        var reply = await alice.SubscribeAsync("bob");
        Assert.Equal(["online", "versions"], reply.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["bob"], Online(reply));
        Assert.Equal("""{"success":true}""", (await alice.UnsubscribeAsync("bob")).GetRawText());
    }

    [Fact]
    public async Task An_ignored_anonymous_connection_cannot_subscribe_and_its_status_reports_false()
    {
        await using var app = await StartAsync();
        await using var anonymous = app.CreateHostClient(PresencePath, userId: null);
        await anonymous.Connection.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => anonymous.SubscribeAsync("alice"));
        var status = await anonymous.SetStatusAsync("away");

        Assert.Contains("no authenticated user", error.Message, StringComparison.Ordinal);
        Assert.Equal("""{"success":false}""", status.GetRawText());
        Assert.Equal(HubConnectionState.Connected, anonymous.Connection.State);
    }

    [Fact]
    public async Task A_ping_flood_is_refused_beyond_the_limit_the_connection_survives_and_the_window_refills()
    {
        await using var app = await StartAsync(new() { ["Presence:SignalR:PingRateLimit"] = "3", ["Presence:SignalR:RateLimitWindow"] = "00:00:10" });
        await using var alice = await app.ConnectHostAsync(ChatPath, "alice");

        var flood = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                await alice.PingAsync();
                return null;
            }
            catch (HubException error)
            {
                return error.Message;
            }
        }));

        Assert.Equal(3, flood.Count(m => m is null));
        Assert.All(flood.OfType<string>(), m => Assert.Contains(
            "'presence:ping' refused: rate limit exceeded (at most 3 calls per 00:00:10 per connection)", m, StringComparison.Ordinal));
        Assert.Equal(HubConnectionState.Connected, alice.Connection.State);
        Assert.Equal("hi", await alice.Connection.InvokeAsync<string>("Echo", "hi"));
        Assert.Equal(1, await app.Store.GetConnectionCountAsync("alice"));

        _time.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await alice.PingAsync()).GetProperty("success").GetBoolean());
        }

        await Assert.ThrowsAsync<HubException>(() => alice.PingAsync());
    }

    [Fact]
    public async Task Subscribe_and_unsubscribe_share_one_limit_that_refills_evenly()
    {
        await using var app = await StartAsync(new() { ["Presence:SignalR:SubscribeRateLimit"] = "2", ["Presence:SignalR:RateLimitWindow"] = "00:00:10" });
        await using var alice = await app.ConnectHostAsync(ChatPath, "alice");
        await alice.SubscribeAsync("bob");
        await alice.UnsubscribeAsync("bob");

        var refused = await Assert.ThrowsAsync<HubException>(() => alice.SubscribeAsync("bob"));
        Assert.Contains("'presence:subscribe' refused: rate limit exceeded", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => alice.UnsubscribeAsync("bob"));

        _time.Advance(TimeSpan.FromSeconds(5));
        await alice.SubscribeAsync("bob");
        await Assert.ThrowsAsync<HubException>(() => alice.SubscribeAsync("carol"));
        Assert.True((await alice.PingAsync()).GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task A_status_flood_is_refused_beyond_the_limit_and_nobody_hears_the_refused_changes()
    {
        await using var app = await StartAsync(new() { ["Presence:SignalR:StatusRateLimit"] = "2" });
        await using var bob = await app.ConnectHostAsync(ChatPath, "bob");
        await using var alice = await app.ConnectHostAsync(ChatPath, "alice");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");

        await alice.SetStatusAsync("away");
        await alice.SetStatusAsync("busy");
        var refused = await Assert.ThrowsAsync<HubException>(() => alice.SetStatusAsync("away"));

        Assert.Contains("'presence:set-status' refused: rate limit exceeded", refused.Message, StringComparison.Ordinal);
        Assert.Equal("busy", (await app.Store.GetPresenceAsync(["alice"]))[0].Status);
        Assert.Equal("away", (await bob.ExpectAsync(PresenceHubMethods.Status, "alice")).Status);
        Assert.Equal("busy", (await bob.ExpectAsync(PresenceHubMethods.Status, "alice")).Status);
        await using var sentinel = await app.ConnectHostAsync(ChatPath, "sentinel");
        await bob.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "sentinel");
    }

    [Fact]
    public async Task A_connection_watches_at_most_MaxSubscriptionSize_users_in_total()
    {
        await using var app = await StartAsync(new() { ["Presence:SignalR:MaxSubscriptionSize"] = "3" });
        await using var bob = await app.ConnectHostAsync(ChatPath, "bob");
        await bob.SubscribeAsync("alice", "carol");

        var tooMany = await Assert.ThrowsAsync<HubException>(() => bob.SubscribeAsync("sentinel", "bob"));
        var oversized = await Assert.ThrowsAsync<HubException>(() => bob.SubscribeAsync("alice", "carol", "sentinel", "bob"));

        Assert.Contains("this connection would watch 4 users; at most 3 are allowed", tooMany.Message, StringComparison.Ordinal);
        Assert.Contains("4 user ids were sent; at most 3 are allowed per call", oversized.Message, StringComparison.Ordinal);
        await bob.SubscribeAsync("carol", "sentinel");
        await bob.UnsubscribeAsync("alice");
        await bob.SubscribeAsync("bob");
    }

    [Theory]
    [InlineData("PingRateLimit", "-1", "Presence:SignalR:PingRateLimit (-1) must be zero (no limit) or positive.")]
    [InlineData("SubscribeRateLimit", "-5", "Presence:SignalR:SubscribeRateLimit (-5)")]
    [InlineData("StatusRateLimit", "-2", "Presence:SignalR:StatusRateLimit (-2)")]
    [InlineData("MaxSubscriptionSize", "0", "Presence:SignalR:MaxSubscriptionSize (0) must be between 1 and 10000.")]
    [InlineData("RateLimitWindow", "00:00:00", "Presence:SignalR:RateLimitWindow (00:00:00) must be positive")]
    public async Task A_bad_transport_option_fails_the_host_at_start_naming_the_option(string option, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new() { [$"Presence:SignalR:{option}"] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
