using System.Net;
using System.Net.Http.Json;
using Presence.Demo;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>
/// Flap suppression and last seen, end to end through the demo with a 5 s offline grace period; time
/// is driven by a fake clock.
/// </summary>
public sealed class GracePeriodTests : FakeClockDemoAppTests
{
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(5);

    public GracePeriodTests()
        : base(new Dictionary<string, string?>
        {
            ["Presence:OfflineGracePeriod"] = "00:00:05",
            ["Presence:SweepInterval"] = "00:00:01",
        })
    {
    }

    [Fact]
    public async Task A_page_reload_within_the_grace_period_sends_watchers_nothing_and_keeps_the_status()
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        var alice = await App.ConnectDemoAsync("alice", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        await alice.SetStatusAsync("away");
        await bob.ExpectAsync(PresenceHubMethods.Status, "alice");

        await alice.DisposeAsync();
        await App.WaitForConnectionCountAsync("alice", 0);
        Time.Advance(TimeSpan.FromSeconds(3));
        await using var reloaded = await App.ConnectDemoAsync("alice", "red");
        Time.Advance(TimeSpan.FromSeconds(10));

        // Barrier: carol's event is sent after the reload and after sweeps past the grace period.
        await using var carol = await App.ConnectDemoAsync("carol", "red");
        await bob.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "carol");
        Assert.Equal("away", carol.BulkOnlineMessage!.Statuses["alice"]);
        Assert.True(await App.Store.IsOnlineAsync("alice"));
    }

    [Fact]
    public async Task A_real_leave_is_reported_after_the_grace_period_stamped_with_the_disconnect_time_and_remembered_as_last_seen()
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        var alice = await App.ConnectDemoAsync("alice", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        Time.Advance(TimeSpan.FromSeconds(2));
        var leftAt = Time.GetUtcNow();

        await alice.DisposeAsync();
        await App.WaitForConnectionCountAsync("alice", 0);
        Time.Advance(s_grace - TimeSpan.FromSeconds(1));
        await using var carol = await App.ConnectDemoAsync("carol", "red");
        await bob.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "carol");
        Assert.True(await App.Store.IsOnlineAsync("alice"));

        Time.Advance(TimeSpan.FromSeconds(2));

        var offline = await bob.ExpectAsync(PresenceHubMethods.Offline, "alice");
        Assert.Equal("disconnected", offline.Reason);
        Assert.Equal(leftAt.ToUnixTimeMilliseconds(), offline.Timestamp.ToUnixTimeMilliseconds());
        var tracker = (IPresenceTracker)App.Services.GetService(typeof(IPresenceTracker))!;
        Assert.Equal(leftAt, (await tracker.GetLastSeenAsync(["alice"]))["alice"]);

        var roster = await GetRosterAsync(await App.IssueTokenAsync("bob", "red"));
        Assert.Equal("red", roster.Team);
        Assert.Equal(
            [
                new TeamMemberPresence("alice", false, null, leftAt),
                new TeamMemberPresence("bob", true, PresenceStatus.Available, null),
                new TeamMemberPresence("carol", true, PresenceStatus.Available, null),
            ],
            roster.Members);
    }

    [Fact]
    public async Task The_roster_needs_a_token_and_shows_only_the_callers_team()
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        await bob.SetStatusAsync("busy");
        await using var dave = await App.ConnectDemoAsync("dave", "blue");

        using var anonymous = await App.GetWithTokenAsync(DemoPresenceEndpoints.TeamPresencePath, accessToken: null);
        var blue = await GetRosterAsync(await App.IssueTokenAsync("erin", "blue"));
        var red = await GetRosterAsync(await App.IssueTokenAsync("bob", "red"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal([new TeamMemberPresence("dave", true, PresenceStatus.Available, null)], blue.Members);
        Assert.Equal([new TeamMemberPresence("bob", true, "busy", null)], red.Members);
    }

    private async Task<TeamPresence> GetRosterAsync(string token)
    {
        using var response = await App.GetWithTokenAsync(DemoPresenceEndpoints.TeamPresencePath, token);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TeamPresence>())!;
    }
}
