using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Presence;

// A worker that only asks "is she online?": the presence engine and a store, no web server.
// In memory by default; on Redis when an address is passed. Prints one line the test checks.
var redis = args.Length > 0 ? args[0] : null;
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();

var presence = builder.Services.AddPresence(o => o.ConnectionTtl = TimeSpan.FromSeconds(30));
if (redis is not null)
{
    presence.AddRedisStore(redis, o => o.KeyPrefix = "console-" + Guid.NewGuid().ToString("N"));
}

using var host = builder.Build();
await host.StartAsync();

var tracker = host.Services.GetRequiredService<IPresenceTracker>();
var came = await tracker.ConnectAsync("bob", "worker-1");
await tracker.ConnectAsync("bob", "worker-2");
await tracker.PingAsync("bob", "worker-1");
var online = await tracker.IsOnlineAsync("bob");
var connections = (await tracker.GetPresenceAsync(["bob"]))[0].ConnectionCount;
var counts = await tracker.GetCountsAsync();
await tracker.DisconnectAsync("bob", "worker-2");
var went = await tracker.DisconnectAsync("bob", "worker-1");
var lastSeen = (await tracker.GetLastSeenAsync(["bob"]))["bob"];
var onlineAfter = await tracker.IsOnlineAsync("bob");
var store = host.Services.GetRequiredService<IPresenceStore>().GetType().Name;
await host.StopAsync();

var aspNetCore = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true);
Console.WriteLine(
    $"CONSOLE-OK store={store} online={online} connections={connections} users={counts.OnlineUsers} " +
    $"offline={went.Change == PresenceChange.WentOffline && went.Version > came.Version} lastSeen={lastSeen is not null} " +
    $"onlineAfter={onlineAfter} aspnetcore={aspNetCore}");
