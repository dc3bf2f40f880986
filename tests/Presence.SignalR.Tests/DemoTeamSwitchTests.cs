using System.Net.Http.Json;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>
/// Signing in again with another team: refused while the user is online in the old team (so the old
/// team still hears them go offline), allowed once they are offline there.
/// </summary>
public sealed class DemoTeamSwitchTests : DemoAppTests
{
    [Fact]
    public async Task Connecting_with_another_team_while_online_in_the_old_one_is_refused_with_a_clear_error()
    {
        // A token for blue minted while alice was offline, used once she is online in red.
        var blueToken = await App.IssueTokenAsync("alice", "blue");
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");

        await using var aliceInBlue = App.CreateDemoClient(blueToken, "alice");
        await aliceInBlue.Connection.StartAsync();
        var error = await aliceInBlue.WaitClosedAsync();

        Assert.Contains("alice is online in team 'red'", error?.Message, StringComparison.Ordinal);
        Assert.Equal(1, await App.Store.GetConnectionCountAsync("alice"));
        await alice.Connection.StopAsync();
        Assert.Equal("disconnected", (await bob.ExpectAsync(PresenceHubMethods.Offline, "alice")).Reason);
    }

    [Fact]
    public async Task Once_offline_a_user_may_switch_teams_and_only_the_new_team_hears_them()
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        await using var carol = await App.ConnectDemoAsync("carol", "blue");
        var alice = await App.ConnectDemoAsync("alice", "red");
        await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        await alice.DisposeAsync();
        await bob.ExpectAsync(PresenceHubMethods.Offline, "alice");

        await using var aliceInBlue = await App.ConnectDemoAsync("alice", "blue");

        Assert.Equal(["alice", "carol"], aliceInBlue.BulkOnline.Order(StringComparer.Ordinal));
        await carol.ExpectAsync(PresenceHubMethods.Online, "alice");
        await aliceInBlue.Connection.StopAsync();
        await carol.ExpectAsync(PresenceHubMethods.Offline, "alice");

        // Barrier: a red event after alice's blue online and offline must be the first thing bob hears.
        await using var dan = await App.ConnectDemoAsync("dan", "red");
        await bob.ExpectNothingBeforeAsync(PresenceHubMethods.Online, "dan");
    }

    [Fact]
    public async Task Signing_in_with_another_team_while_online_is_refused_at_the_token_endpoint()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");

        using var response = await App.Http.PostAsJsonAsync("/api/dev/token", new { userId = "alice", team = "blue" });

        Assert.Equal(System.Net.HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("alice is online in team 'red'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
