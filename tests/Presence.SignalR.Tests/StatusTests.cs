using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>presence:set-status and presence:status against the demo (team audiences) on real Kestrel.</summary>
public sealed class StatusTests : DemoAppTests
{
    [Fact]
    public async Task Setting_a_status_returns_success_and_reaches_teammates_only()
    {
        await using var dave = await App.ConnectDemoAsync("dave", "blue");
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var result = await alice.SetStatusAsync("away");

        Assert.Equal("""{"success":true}""", result.GetRawText());
        var status = await bob.ExpectAsync(PresenceHubMethods.Status, "alice");
        Assert.Equal(["userId", "status", "timestamp", "version"], status.PropertyNames);
        Assert.Equal("away", status.Status);
        Assert.InRange(status.Timestamp, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("away", (await alice.ExpectAsync(PresenceHubMethods.Status, "alice")).Status);
        Assert.Equal("away", (await App.Store.GetPresenceAsync(["alice"]))[0].Status);

        // Barrier: a blue event sent after alice's status must be the first thing dave hears.
        await using var erin = await App.ConnectDemoAsync("erin", "blue");
        await dave.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "erin");
    }

    [Fact]
    public async Task Custom_statuses_of_64_characters_are_accepted_and_setting_the_same_status_again_sends_nothing()
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        var custom = "in a meeting until 3 pm " + new string('.', 40);
        Assert.Equal(PresenceStatus.MaxLength, custom.Length);

        Assert.True((await alice.SetStatusAsync(custom)).GetProperty("success").GetBoolean());
        Assert.Equal(custom, (await bob.ExpectAsync(PresenceHubMethods.Status, "alice")).Status);
        Assert.True((await alice.SetStatusAsync(custom)).GetProperty("success").GetBoolean());

        await using var carol = await App.ConnectDemoAsync("carol", "red");
        await bob.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "carol");
    }

    public static TheoryData<string?, string> BadStatuses => new()
    {
        { null, "the status is missing" },
        { "", "must not be empty" },
        { "   ", "white space" },
        { new string('x', 65), "65 characters long; at most 64" },
        { "away\u0007", "control character" },
    };

    [Theory]
    [MemberData(nameof(BadStatuses))]
    public async Task A_bad_status_is_refused_clearly_and_leaves_the_status_and_the_connection_intact(string? status, string problem)
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        await alice.SetStatusAsync("busy");
        await bob.ExpectAsync(PresenceHubMethods.Status, "alice");

        var error = await Assert.ThrowsAsync<HubException>(() => alice.SetStatusAsync(status));

        Assert.Contains("'presence:set-status' refused", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HubConnectionState.Connected, alice.Connection.State);
        Assert.True((await alice.PingAsync()).GetProperty("success").GetBoolean());
        Assert.Equal("busy", (await App.Store.GetPresenceAsync(["alice"]))[0].Status);
        await using var carol = await App.ConnectDemoAsync("carol", "red");
        await bob.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "carol");
    }

    [Fact]
    public async Task A_set_status_without_its_argument_fails_and_the_connection_survives()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");

        await Assert.ThrowsAsync<HubException>(() => alice.Connection.InvokeAsync<JsonElement>(PresenceHubMethods.SetStatus));
        var asNull = await Assert.ThrowsAsync<HubException>(() => alice.Connection.InvokeAsync<JsonElement>(PresenceHubMethods.SetStatus, (object?)null));

        Assert.Contains("the status is missing", asNull.Message, StringComparison.Ordinal);
        Assert.True((await alice.PingAsync()).GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Bulk_online_carries_the_statuses_that_are_not_available_and_omits_the_map_when_there_is_none()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        await using var carol = await App.ConnectDemoAsync("carol", "red");
        Assert.Equal(["users", "versions", "heartbeatIntervalMs"], carol.BulkOnlineMessage!.PropertyNames);

        await alice.SetStatusAsync("away");
        await bob.SetStatusAsync("busy");
        await carol.SetStatusAsync(PresenceStatus.Available);
        await using var dave = await App.ConnectDemoAsync("dave", "red");

        Assert.Equal(["users", "statuses", "versions", "heartbeatIntervalMs"], dave.BulkOnlineMessage!.PropertyNames);
        Assert.Equal(["alice", "bob", "carol", "dave"], dave.BulkOnline.Order(StringComparer.Ordinal));
        Assert.Equal(
            new Dictionary<string, string> { ["alice"] = "away", ["bob"] = "busy" },
            dave.BulkOnlineMessage.Statuses);

        await using var blue = await App.ConnectDemoAsync("erin", "blue");
        Assert.Equal(["users", "versions", "heartbeatIntervalMs"], blue.BulkOnlineMessage!.PropertyNames);
    }

    [Fact]
    public async Task A_status_is_cleared_when_the_user_goes_offline()
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        var alice = await App.ConnectDemoAsync("alice", "red");
        await alice.SetStatusAsync("away");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        await bob.ExpectAsync(PresenceHubMethods.Status, "alice");

        await alice.DisposeAsync();
        await bob.ExpectAsync(PresenceHubMethods.Offline, "alice");
        await using var again = await App.ConnectDemoAsync("alice", "red");

        Assert.DoesNotContain("alice", again.BulkOnlineMessage!.Statuses.Keys);
    }
}
