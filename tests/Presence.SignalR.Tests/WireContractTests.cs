using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>Every row of the wire contract, against the demo app on real Kestrel with real JWTs.</summary>
public sealed class WireContractTests : DemoAppTests
{
    [Fact]
    public async Task Bulk_online_is_sent_right_after_connect_with_the_visible_online_users()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await using var bob = await App.ConnectDemoAsync("bob", "red");

        Assert.Equal(["users", "versions", "heartbeatIntervalMs"], bob.BulkOnlineMessage!.PropertyNames);
        Assert.Equal(JsonValueKind.Array, bob.BulkOnlineMessage.Payload.GetProperty("users").ValueKind);
        Assert.Equal(["alice", "bob"], bob.BulkOnline.Order(StringComparer.Ordinal));
        Assert.Equal(["alice"], alice.BulkOnline);
    }

    [Fact]
    public async Task Ping_returns_success_true()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");

        var result = await alice.PingAsync();

        Assert.Equal("""{"success":true}""", result.GetRawText());
    }

    [Fact]
    public async Task Online_carries_user_id_and_a_utc_iso_timestamp()
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await using var alice = await App.ConnectDemoAsync("alice", "red");

        var online = await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        Assert.Equal(["userId", "timestamp", "version"], online.PropertyNames);
        Assert.EndsWith("Z", online.Payload.GetProperty("timestamp").GetString(), StringComparison.Ordinal);
        Assert.InRange(online.Timestamp, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Closing_the_last_connection_sends_offline_with_reason_disconnected()
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        var alice = await App.ConnectDemoAsync("alice", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");

        await alice.DisposeAsync();

        var offline = await bob.ExpectAsync(PresenceHubMethods.Offline, "alice");
        Assert.Equal(["userId", "timestamp", "reason", "version"], offline.PropertyNames);
        Assert.Equal("disconnected", offline.Reason);
        Assert.False(await App.Store.IsOnlineAsync("alice"));
    }

    [Fact]
    public async Task A_second_tab_changes_nothing_and_closing_one_of_two_tabs_changes_nothing()
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        var aliceTab1 = await App.ConnectDemoAsync("alice", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");

        var aliceTab2 = await App.ConnectDemoAsync("alice", "red");
        Assert.Contains("alice", aliceTab2.BulkOnline);
        Assert.Equal(2, await App.Store.GetConnectionCountAsync("alice"));

        // Barrier: carol's event is sent after alice's second registration finished, so anything about
        // alice would have reached bob before it.
        await using var carol = await App.ConnectDemoAsync("carol", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "carol");

        await aliceTab1.DisposeAsync();
        await App.WaitForConnectionCountAsync("alice", 1);
        Assert.True(await App.Store.IsOnlineAsync("alice"));
        await using var dave = await App.ConnectDemoAsync("dave", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "dave");

        await aliceTab2.DisposeAsync();
        var offline = await bob.ExpectAsync(PresenceHubMethods.Offline, "alice");
        Assert.Equal("disconnected", offline.Reason);
    }

    [Fact]
    public async Task A_user_of_another_team_receives_nothing_and_is_not_in_bulk_online()
    {
        await using var blue = await App.ConnectDemoAsync("dave", "blue");
        Assert.Equal(["dave"], blue.BulkOnline);

        await using var bob = await App.ConnectDemoAsync("bob", "red");
        var alice = await App.ConnectDemoAsync("alice", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        Assert.DoesNotContain("dave", alice.BulkOnline);
        Assert.DoesNotContain("dave", bob.BulkOnline);
        await alice.DisposeAsync();
        await bob.ExpectAsync(PresenceHubMethods.Offline, "alice");

        // Barrier: a blue event after all the red ones must be the first thing dave hears.
        await using var erin = await App.ConnectDemoAsync("erin", "blue");
        await blue.ExpectAsync(PresenceHubMethods.Online, "erin");
        Assert.Equal(["dave", "erin"], erin.BulkOnline.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reconnecting_receives_a_fresh_bulk_online()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        Assert.Equal(["alice", "bob"], bob.BulkOnline.Order(StringComparer.Ordinal));

        await bob.Connection.StopAsync();
        await App.WaitForConnectionCountAsync("bob", 0);
        await using var carol = await App.ConnectDemoAsync("carol", "red");
        await alice.DisposeAsync();
        await App.WaitForConnectionCountAsync("alice", 0);

        await bob.StartAsync();

        Assert.Equal(["bob", "carol"], bob.BulkOnline.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Anonymous_connections_are_refused_and_leave_nothing_behind()
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        await using var anonymous = App.CreateDemoClient(accessToken: null);
        await using var forged = App.CreateDemoClient(accessToken: "not-a-jwt");

        await anonymous.Connection.StartAsync();
        var error = await anonymous.WaitClosedAsync();
        await forged.Connection.StartAsync();
        var forgedError = await forged.WaitClosedAsync();

        Assert.Contains("requires an authenticated user", error?.Message, StringComparison.Ordinal);
        Assert.Contains("requires an authenticated user", forgedError?.Message, StringComparison.Ordinal);
        Assert.Equal(new PresenceCounts(1, 1), await App.Store.GetCountsAsync());
        Assert.False(anonymous.TryPeekPending(out _));
    }

    [Fact]
    public async Task A_bad_invocation_fails_clearly_and_leaves_the_connection_and_the_store_intact()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");

        var withArgument = await Assert.ThrowsAsync<HubException>(() => alice.Connection.InvokeAsync<JsonElement>(PresenceHubMethods.Ping, "alice-impersonated"));
        var unknown = await Assert.ThrowsAsync<HubException>(() => alice.Connection.InvokeAsync<JsonElement>("presence:unknown"));

        Assert.Contains("Failed to invoke 'presence:ping'", withArgument.Message, StringComparison.Ordinal);
        Assert.Contains("presence:unknown", unknown.Message, StringComparison.Ordinal);
        Assert.True((await alice.PingAsync()).GetProperty("success").GetBoolean());
        Assert.Equal(1, await App.Store.GetConnectionCountAsync("alice"));
        Assert.False(await App.Store.IsOnlineAsync("alice-impersonated"));
    }

    [Fact]
    public async Task Fifty_users_joining_at_once_are_each_seen_exactly_once_by_every_watcher()
    {
        var watchers = new List<PresenceTestClient>();
        for (var i = 0; i < 3; i++)
        {
            watchers.Add(await App.ConnectDemoAsync($"watcher-{i}", "red"));
        }

        for (var i = 0; i < watchers.Count; i++)
        {
            for (var later = i + 1; later < watchers.Count; later++)
            {
                await watchers[i].ExpectAsync(PresenceHubMethods.Online, $"watcher-{later}");
            }
        }

        var joinerIds = Enumerable.Range(0, 50).Select(i => $"joiner-{i:00}").ToArray();
        var tokens = await Task.WhenAll(joinerIds.Select(id => App.IssueTokenAsync(id, "red")));
        var joiners = joinerIds.Select((id, i) => App.CreateDemoClient(tokens[i], id)).ToList();

        await Task.WhenAll(joiners.Select(j => j.StartAsync()));

        // Barrier: the sentinel joins after every joiner is registered, so each watcher has all 50 events before it.
        await using var sentinel = await App.ConnectDemoAsync("sentinel", "red");
        foreach (var watcher in watchers)
        {
            var seen = new List<string>();
            ReceivedMessage message;
            while ((message = await watcher.NextAsync()).UserId != "sentinel")
            {
                Assert.Equal(PresenceHubMethods.Online, message.Method);
                seen.Add(message.UserId!);
            }

            Assert.Equal(joinerIds, seen.Order(StringComparer.Ordinal));
        }

        foreach (var joiner in joiners)
        {
            Assert.Contains("watcher-0", joiner.BulkOnline);
            Assert.Contains(joiner.UserId!, joiner.BulkOnline);
        }

        Assert.Equal(new PresenceCounts(54, 54), await App.Store.GetCountsAsync());
        Assert.Equal(54, sentinel.BulkOnline.Count);
        foreach (var client in watchers.Concat(joiners))
        {
            await client.DisposeAsync();
        }
    }
}
