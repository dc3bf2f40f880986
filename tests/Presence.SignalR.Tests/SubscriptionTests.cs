using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>presence:subscribe / presence:unsubscribe against the demo, which lets anyone watch anyone.</summary>
public sealed class SubscriptionTests : DemoAppTests
{
    private static IReadOnlyList<string> Online(JsonElement reply) => [.. reply.GetProperty("online").EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task A_user_of_another_team_subscribes_hears_every_event_and_stops_after_unsubscribing()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await using var dave = await App.ConnectDemoAsync("dave", "blue");
        Assert.Equal(["dave"], dave.BulkOnline);

        var reply = await dave.SubscribeAsync("alice");
        Assert.Equal(["online", "versions"], reply.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["alice"], Online(reply));

        await alice.SetStatusAsync("busy");
        Assert.Equal("busy", (await dave.ExpectAsync(PresenceHubMethods.Status, "alice")).Status);
        await alice.Connection.StopAsync();
        Assert.Equal("disconnected", (await dave.ExpectAsync(PresenceHubMethods.Offline, "alice")).Reason);
        await alice.StartAsync();
        await dave.ExpectAsync(PresenceHubMethods.Online, "alice");

        Assert.Equal("""{"success":true}""", (await dave.UnsubscribeAsync("alice")).GetRawText());
        await alice.SetStatusAsync("away");
        await alice.Connection.StopAsync();
        await App.WaitForConnectionCountAsync("alice", 0);

        // Barrier: a blue event sent after alice's status and offline must be the first thing dave hears.
        await using var erin = await App.ConnectDemoAsync("erin", "blue");
        await dave.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "erin");
    }

    [Fact]
    public async Task The_reply_lists_who_is_online_now_with_statuses_and_the_last_seen_of_who_left()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        var carol = await App.ConnectDemoAsync("carol", "red");
        await alice.ExpectAsync(PresenceHubMethods.Online, "bob");
        await alice.ExpectAsync(PresenceHubMethods.Online, "carol");
        await carol.DisposeAsync();
        var left = await alice.ExpectAsync(PresenceHubMethods.Offline, "carol");
        await bob.SetStatusAsync("away");
        await using var dave = await App.ConnectDemoAsync("dave", "blue");

        var reply = await dave.SubscribeAsync("alice", "bob", "carol", "nobody-ever", "alice");

        Assert.Equal(["alice", "bob"], Online(reply).Order(StringComparer.Ordinal));
        Assert.Equal("""{"bob":"away"}""", reply.GetProperty("statuses").GetRawText());
        Assert.Equal(
            left.Payload.GetProperty("timestamp").GetString(),
            reply.GetProperty("lastSeen").GetProperty("carol").GetString());
        Assert.False(reply.GetProperty("lastSeen").TryGetProperty("nobody-ever", out _));
    }

    [Fact]
    public async Task A_subscriber_in_the_audience_too_may_hear_an_event_twice_but_always_with_the_same_payload()
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        await bob.SubscribeAsync("alice");

        await alice.SetStatusAsync("away");
        await using var carol = await App.ConnectDemoAsync("carol", "red");

        var heard = new List<ReceivedMessage>();
        ReceivedMessage message;
        while ((message = await bob.NextAsync()).UserId != "carol")
        {
            heard.Add(message);
        }

        Assert.InRange(heard.Count, 1, 2);
        Assert.All(heard, m => Assert.Equal(PresenceHubMethods.Status, m.Method));
        Assert.Single(heard.Select(m => m.Payload.GetRawText()).Distinct());
    }

    [Fact]
    public async Task An_oversized_list_is_refused_nothing_is_subscribed_and_the_connection_survives()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await using var dave = await App.ConnectDemoAsync("dave", "blue");
        var ids = new[] { "alice" }.Concat(Enumerable.Range(0, 100).Select(i => $"user-{i}")).ToArray();

        var error = await Assert.ThrowsAsync<HubException>(() => dave.SubscribeAsync(ids));

        Assert.Contains("'presence:subscribe' refused: 101 user ids were sent; at most 100", error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, dave.Connection.State);
        await alice.SetStatusAsync("away");
        await using var erin = await App.ConnectDemoAsync("erin", "blue");
        await dave.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "erin");
        Assert.Equal(["alice"], Online(await dave.SubscribeAsync(ids[..100])).Where(id => id == "alice"));
    }

    public static TheoryData<string?[], string> BadLists => new()
    {
        { ["alice", ""], "userIds[1] is invalid. The id must not be empty." },
        { ["alice", null], "userIds[1] is invalid. The id must not be null." },
        { [new string('x', 257)], "userIds[0] is invalid. The id is 257 characters long" },
        { ["alice", "bad\nid"], "userIds[1] is invalid. The id must not contain control characters." },
    };

    [Theory]
    [MemberData(nameof(BadLists))]
    public async Task An_invalid_id_is_named_and_nothing_is_subscribed(string?[] userIds, string problem)
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await using var dave = await App.ConnectDemoAsync("dave", "blue");

        var error = await Assert.ThrowsAsync<HubException>(() => dave.SubscribeAsync(userIds));

        Assert.Contains($"'presence:subscribe' refused: {problem}", error.Message, StringComparison.Ordinal);
        await alice.SetStatusAsync("away");
        await using var erin = await App.ConnectDemoAsync("erin", "blue");
        await dave.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "erin");
    }

    [Fact]
    public async Task A_missing_list_is_refused_for_subscribe_and_unsubscribe()
    {
        await using var dave = await App.ConnectDemoAsync("dave", "blue");

        var subscribe = await Assert.ThrowsAsync<HubException>(() => dave.Connection.InvokeAsync<JsonElement>(PresenceHubMethods.Subscribe, new { }));
        var unsubscribe = await Assert.ThrowsAsync<HubException>(() => dave.Connection.InvokeAsync<JsonElement>(PresenceHubMethods.Unsubscribe, (object?)null));
        var invalid = await Assert.ThrowsAsync<HubException>(() => dave.UnsubscribeAsync(" "));

        Assert.Contains("'presence:subscribe' refused: the userIds are missing", subscribe.Message, StringComparison.Ordinal);
        Assert.Contains("'presence:unsubscribe' refused: the userIds are missing", unsubscribe.Message, StringComparison.Ordinal);
        Assert.Contains("'presence:unsubscribe' refused: userIds[0] is invalid", invalid.Message, StringComparison.Ordinal);
        Assert.True((await dave.PingAsync()).GetProperty("success").GetBoolean());
        Assert.Equal("""{"success":true}""", (await dave.UnsubscribeAsync("never-subscribed")).GetRawText());
    }

    [Fact]
    public async Task Subscriptions_belong_to_the_connection_a_reconnect_starts_without_them()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await using var dave = await App.ConnectDemoAsync("dave", "blue");
        await dave.SubscribeAsync("alice");

        await dave.Connection.StopAsync();
        await App.WaitForConnectionCountAsync("dave", 0);
        await dave.StartAsync();
        await alice.SetStatusAsync("away");

        await using var erin = await App.ConnectDemoAsync("erin", "blue");
        await dave.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "erin");
    }

    [Fact]
    public async Task Subscribers_on_several_connections_each_hear_and_a_second_tab_is_unaffected_by_the_first_unsubscribing()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await using var daveTab1 = await App.ConnectDemoAsync("dave", "blue");
        await using var daveTab2 = await App.ConnectDemoAsync("dave", "blue");
        await daveTab1.SubscribeAsync("alice");
        await daveTab2.SubscribeAsync("alice");

        await daveTab1.UnsubscribeAsync("alice");
        await alice.SetStatusAsync("away");

        Assert.Equal("away", (await daveTab2.ExpectAsync(PresenceHubMethods.Status, "alice")).Status);
        await using var erin = await App.ConnectDemoAsync("erin", "blue");
        await daveTab1.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "erin");
    }
}
