using Microsoft.AspNetCore.SignalR.Client;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>Only presence:ping (and the connect) extends a lease; time is driven by a fake clock, never slept.</summary>
public sealed class ExpiryTests : FakeClockDemoAppTests
{
    private static readonly TimeSpan s_ttl = TimeSpan.FromSeconds(10);

    public ExpiryTests()
        : base(new Dictionary<string, string?>
        {
            ["Presence:HeartbeatInterval"] = "00:00:04",
            ["Presence:ConnectionTtl"] = "00:00:10",
            ["Presence:SweepInterval"] = "00:00:01",
        })
    {
    }

    [Fact]
    public async Task A_connection_that_stops_pinging_expires_with_reason_expired_while_a_pinging_one_stays()
    {
        // SignalR's own keep-alive runs as fast as it can here; it must not count as a heartbeat.
        await using var alice = await App.ConnectDemoAsync("alice", "red", b => b.WithKeepAliveInterval(TimeSpan.FromMilliseconds(100)));
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        var connectedAt = Time.GetUtcNow();

        Time.Advance(TimeSpan.FromSeconds(6));
        await bob.PingAsync();
        Time.Advance(s_ttl - TimeSpan.FromSeconds(6) + TimeSpan.FromSeconds(1));

        var offline = await bob.ExpectAsync(PresenceHubMethods.Offline, "alice");
        Assert.Equal("expired", offline.Reason);
        // The store stamps an expiry with the end of the last lease, not with the sweep that found it.
        Assert.Equal((connectedAt + s_ttl).ToUnixTimeMilliseconds(), offline.Timestamp.ToUnixTimeMilliseconds());
        Assert.True(await App.Store.IsOnlineAsync("bob"));
        Assert.False(await App.Store.IsOnlineAsync("alice"));
        Assert.Equal(HubConnectionState.Connected, alice.Connection.State);
    }

    [Fact]
    public async Task A_ping_after_expiry_brings_the_user_back_online()
    {
        await using var alice = await App.ConnectDemoAsync("alice", "red");
        await using var bob = await App.ConnectDemoAsync("bob", "red");
        Time.Advance(TimeSpan.FromSeconds(6));
        await bob.PingAsync();
        Time.Advance(TimeSpan.FromSeconds(5));
        await bob.ExpectAsync(PresenceHubMethods.Offline, "alice");

        var result = await alice.PingAsync();

        Assert.True(result.GetProperty("success").GetBoolean());
        var online = await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        Assert.Equal(Time.GetUtcNow().ToUnixTimeMilliseconds(), online.Timestamp.ToUnixTimeMilliseconds());
        Assert.True(await App.Store.IsOnlineAsync("alice"));
    }

    [Fact]
    public async Task The_page_gets_the_configured_heartbeat_interval()
    {
        var config = await App.Http.GetStringAsync("/api/presence/config");

        Assert.Equal("""{"heartbeatIntervalMs":4000}""", config);
    }
}
