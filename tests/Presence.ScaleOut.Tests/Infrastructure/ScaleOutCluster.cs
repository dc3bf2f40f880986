using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Presence.ScaleOut.Tests.Infrastructure;

/// <summary>A redis-server and two demo nodes sharing it, with short presence timings.</summary>
internal sealed class ScaleOutCluster : IAsyncDisposable
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ConnectionTtl = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Generous: a busy 2-core machine runs two servers, Redis and the test at once.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<PresenceClient> _clients = [];

    public RedisServer Redis { get; } = new();

    public DemoNode A { get; private set; } = null!;

    public DemoNode B { get; private set; } = null!;

    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Presence__HeartbeatInterval"] = HeartbeatInterval.ToString("c"),
        ["Presence__ConnectionTtl"] = ConnectionTtl.ToString("c"),
        ["Presence__SweepInterval"] = SweepInterval.ToString("c"),
        ["Presence__OfflineGracePeriod"] = "00:00:00",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public async Task StartAsync()
    {
        await Redis.StartAsync();
        A = new DemoNode("A", Redis.Endpoint, Settings);
        B = new DemoNode("B", Redis.Endpoint, Settings);
        await Task.WhenAll(A.StartAsync(), B.StartAsync());
    }

    /// <summary>Connects a client that pings every heartbeat interval, like the reference client.</summary>
    public async Task<PresenceClient> ConnectAsync(DemoNode node, string userId, string team = "red", bool ping = true)
    {
        var client = await PresenceClient.ConnectAsync(node, userId, team);
        if (ping)
        {
            client.StartPinging(HeartbeatInterval);
        }

        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>The store's view of a user, read through a node's diagnostics endpoint.</summary>
    public static async Task<(bool Online, int Connections)> GetPresenceAsync(DemoNode node, string userId) =>
        await TryGetPresenceAsync(node, userId)
        ?? throw new InvalidOperationException($"Node {node.Name} says its presence store is unavailable.");

    /// <summary>Like <see cref="GetPresenceAsync"/>, but <see langword="null"/> while the node answers 503 (its Redis is down or reconnecting).</summary>
    public static async Task<(bool Online, int Connections)?> TryGetPresenceAsync(DemoNode node, string userId)
    {
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync($"/api/presence/users/{Uri.EscapeDataString(userId)}");
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("online").GetBoolean(), body.RootElement.GetProperty("connectionCount").GetInt32());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            try
            {
                await client.DisposeAsync();
            }
            catch (Exception)
            {
                // The node it was on may be dead already.
            }
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (B is not null)
        {
            await B.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }
}
