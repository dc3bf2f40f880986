using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>
/// Wire timestamps are the store's decision times: the node's clock (a fake one here) never stamps
/// an event. The store runs behind the node by a known skew, so a timestamp equal to the store's time
/// cannot have come from the node.
/// </summary>
public sealed class StoreClockWireTests
{
    private const string HubPath = "/hubs/presence";
    private static readonly TimeSpan s_skew = TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(250);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2031, 5, 6, 7, 8, 9, 123, TimeSpan.Zero));

    private Task<TestApp> StartAsync() => TestApp.StartHostAsync(
        builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(_time);
            builder.Services.AddPresence(o =>
            {
                o.HeartbeatInterval = TimeSpan.FromSeconds(7);
                o.OfflineGracePeriod = TimeSpan.Zero;
            }).AddEveryoneSeesEveryone();
            WrapStore(builder.Services);
            builder.Services.AddSignalR().AddPresence();
        },
        app => app.MapPresenceHub(HubPath));

    [Fact]
    public async Task Online_status_and_offline_are_stamped_with_the_stores_decision_time()
    {
        await using var app = await StartAsync();
        await using var bob = await app.ConnectHostAsync(HubPath, "bob");
        Assert.Equal(7000, bob.BulkOnlineMessage!.Payload.GetProperty("heartbeatIntervalMs").GetInt64());

        _time.Advance(TimeSpan.FromSeconds(3));
        await using var alice = await app.ConnectHostAsync(HubPath, "alice");
        var online = await bob.ExpectAsync(PresenceHubMethods.Online, "alice");
        Assert.Equal(StoreTime(), online.Payload.GetProperty("timestamp").GetString());

        _time.Advance(TimeSpan.FromMilliseconds(1234));
        await alice.SetStatusAsync("away");
        var status = await bob.ExpectAsync(PresenceHubMethods.Status, "alice");
        Assert.Equal(StoreTime(), status.Payload.GetProperty("timestamp").GetString());

        _time.Advance(TimeSpan.FromSeconds(5));
        var offlineAt = StoreTime();
        await alice.Connection.StopAsync();
        var offline = await bob.ExpectAsync(PresenceHubMethods.Offline, "alice");
        Assert.Equal(offlineAt, offline.Payload.GetProperty("timestamp").GetString());

        // The subscribe reply's last seen is the same store time as the offline event.
        var reply = await bob.SubscribeAsync("alice");
        Assert.Equal(offlineAt, reply.GetProperty("lastSeen").GetProperty("alice").GetString());
    }

    [Fact]
    public async Task The_node_clock_alone_never_appears_on_the_wire()
    {
        await using var app = await StartAsync();
        await using var bob = await app.ConnectHostAsync(HubPath, "bob");
        await using var alice = await app.ConnectHostAsync(HubPath, "alice");

        var online = await bob.ExpectAsync(PresenceHubMethods.Online, "alice");

        Assert.Equal(_time.GetUtcNow() - s_skew, online.Timestamp);
        Assert.NotEqual(_time.GetUtcNow(), online.Timestamp);
    }

    private static void WrapStore(IServiceCollection services)
    {
        var descriptor = services.Single(d => d.ServiceType == typeof(IPresenceStore));
        var implementation = descriptor.ImplementationType!;
        services.Remove(descriptor);
        services.AddSingleton(implementation);
        services.AddSingleton<IPresenceStore>(sp => new SkewedClockStore((IPresenceStore)sp.GetRequiredService(implementation), s_skew));
    }

    private string StoreTime() =>
        (_time.GetUtcNow() - s_skew).UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);
}
