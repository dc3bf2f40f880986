using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>The store's per-user versions on every message of the wire, against the demo.</summary>
public sealed class VersionWireTests : DemoAppTests
{
    [Fact]
    public async Task Online_status_and_offline_carry_versions_that_strictly_increase_per_user_across_a_reconnect()
    {
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        await using var alice = await App.ConnectDemoAsync("alice", "red");

        var online = await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        await alice.SetStatusAsync("away");
        var status = await bob.ExpectAsync(PresenceHubMethods.Status, "alice");
        await alice.Connection.StopAsync();
        var offline = await bob.ExpectAsync(PresenceHubMethods.Offline, "alice");
        await alice.StartAsync();
        var again = await bob.ExpectAsync(PresenceHubMethods.Online, "alice");

        Assert.True(online.Version > 0, $"online version {online.Version}");
        Assert.True(online.Version < status.Version, $"{online.Version} < {status.Version}");
        Assert.True(status.Version < offline.Version, $"{status.Version} < {offline.Version}");
        Assert.True(offline.Version < again.Version, $"{offline.Version} < {again.Version}");
        Assert.Equal(JsonValueKind.Number, again.Payload.GetProperty("version").ValueKind);

        // The reconnect's own bulk-online knows the version its online event carried.
        Assert.Equal(again.Version, alice.BulkOnlineMessage!.Versions["alice"]);
        var stored = await App.Store.GetPresenceAsync(["alice"]);
        Assert.Equal(again.Version, stored[0].Version);
    }

    [Fact]
    public async Task Bulk_online_lists_a_version_for_every_listed_user_and_the_servers_heartbeat_interval()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        await bob.SetStatusAsync("busy");
        await using var blue = await App.ConnectDemoAsync("erin", "blue");
        await using var carol = await App.ConnectDemoAsync("carol", "red");

        var bulk = carol.BulkOnlineMessage!;
        Assert.Equal(bulk.Users.Order(StringComparer.Ordinal), bulk.Versions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["alice", "bob", "carol"], bulk.Users.Order(StringComparer.Ordinal));
        var stored = await App.Store.GetPresenceAsync(["alice", "bob", "carol"]);
        Assert.All(stored, p => Assert.Equal(p.Version, bulk.Versions[p.UserId]));

        var heartbeat = App.Services.GetRequiredService<IOptions<PresenceOptions>>().Value.HeartbeatInterval;
        Assert.Equal((long)heartbeat.TotalMilliseconds, bulk.Payload.GetProperty("heartbeatIntervalMs").GetInt64());
        Assert.Equal(["erin"], blue.BulkOnlineMessage!.Versions.Keys);
    }

    [Fact]
    public async Task The_subscribe_reply_lists_versions_for_the_online_and_the_last_seen_users()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        var carol = await App.ConnectDemoAsync("carol", "red");
        await alice.ExpectAsync(PresenceHubMethods.Online, "carol");
        await carol.DisposeAsync();
        var left = await alice.ExpectAsync(PresenceHubMethods.Offline, "carol");
        await using var dave = await App.ConnectDemoAsync("dave", "blue");

        var reply = await dave.SubscribeAsync("alice", "carol", "nobody-ever");

        var versions = reply.GetProperty("versions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        Assert.Equal(["alice", "carol"], versions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(left.Version, versions["carol"]);
        Assert.Equal(alice.BulkOnlineMessage!.Versions["alice"], versions["alice"]);
    }
}
