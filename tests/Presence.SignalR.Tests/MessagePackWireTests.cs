using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>
/// The demo enables SignalR's MessagePack protocol; a MessagePack client must see exactly the keys a
/// JSON client sees. An optional map that JSON omits travels as nil over MessagePack.
/// </summary>
public sealed class MessagePackWireTests : DemoAppTests
{
    [Fact]
    public async Task Every_presence_message_and_reply_has_the_json_keys_over_messagepack()
    {
        var received = Channel.CreateUnbounded<(string Method, Dictionary<string, object?> Payload)>();
        await using var bob = new HubConnectionBuilder()
            .WithUrl(new Uri(App.BaseUrl, Demo.DemoApplication.HubPath), o =>
            {
                o.AccessTokenProvider = async () => await App.IssueTokenAsync("bob", "red");
            })
            .AddMessagePackProtocol()
            .Build();
        foreach (var method in new[] { PresenceHubMethods.BulkOnline, PresenceHubMethods.Online, PresenceHubMethods.Status, PresenceHubMethods.Offline })
        {
            bob.On<Dictionary<string, object?>>(method, payload => received.Writer.TryWrite((method, payload)));
        }

        await bob.StartAsync();
        var bulk = await NextAsync(received, PresenceHubMethods.BulkOnline);
        Assert.Equal(["users", "versions", "heartbeatIntervalMs"], NonNilKeys(bulk));
        Assert.Equal(["users", "statuses", "versions", "heartbeatIntervalMs"], bulk.Keys);
        Assert.Equal(["bob"], Map(bulk["versions"]).Keys);

        await using var alice = await App.ConnectDemoAsync("alice", "red");
        var online = await NextAsync(received, PresenceHubMethods.Online);
        Assert.Equal(["userId", "timestamp", "version"], online.Keys);
        Assert.Equal("alice", online["userId"]);
        await alice.SetStatusAsync("away");
        var status = await NextAsync(received, PresenceHubMethods.Status);
        Assert.Equal(["userId", "status", "timestamp", "version"], status.Keys);
        await alice.Connection.StopAsync();
        var offline = await NextAsync(received, PresenceHubMethods.Offline);
        Assert.Equal(["userId", "timestamp", "reason", "version"], offline.Keys);
        Assert.Equal("disconnected", offline["reason"]);
        Assert.True(Convert.ToInt64(online["version"]) < Convert.ToInt64(status["version"]));
        Assert.True(Convert.ToInt64(status["version"]) < Convert.ToInt64(offline["version"]));

        var ping = await bob.InvokeAsync<Dictionary<string, object?>>(PresenceHubMethods.Ping);
        Assert.Equal(["success"], ping.Keys);
        Assert.Equal(true, ping["success"]);
        var setStatus = await bob.InvokeAsync<Dictionary<string, object?>>(PresenceHubMethods.SetStatus, new { status = "busy" });
        Assert.Equal(true, setStatus["success"]);
        var reply = await bob.InvokeAsync<Dictionary<string, object?>>(PresenceHubMethods.Subscribe, new { userIds = new[] { "alice" } });
        Assert.Equal(["online", "lastSeen", "versions"], NonNilKeys(reply));
        Assert.Equal(Convert.ToInt64(offline["version"]), Convert.ToInt64(Map(reply["versions"])["alice"]));
    }

    private static async Task<Dictionary<string, object?>> NextAsync(Channel<(string Method, Dictionary<string, object?> Payload)> received, string method)
    {
        using var cts = new CancellationTokenSource(Timeouts.Default);
        while (true)
        {
            var (name, payload) = await received.Reader.ReadAsync(cts.Token);
            if (name == method)
            {
                return payload;
            }
        }
    }

    private static string[] NonNilKeys(Dictionary<string, object?> payload) => [.. payload.Where(p => p.Value is not null).Select(p => p.Key)];

    private static Dictionary<string, object?> Map(object? value) =>
        ((IDictionary<object, object?>)value!).ToDictionary(p => (string)p.Key, p => p.Value, StringComparer.Ordinal);
}
