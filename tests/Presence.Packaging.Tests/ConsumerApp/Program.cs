using Microsoft.AspNetCore.SignalR;
using Presence;
using Presence.SignalR;

// A web app wired the way the README shows it: in memory, or scaled out on Redis (store + SignalR
// backplane on one connection) when a Redis address is passed. Prints one line the test checks.
var redis = args.Length > 0 ? args[0] : null;
var builder = WebApplication.CreateBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();

var events = new List<PresenceEvent>();
builder.Services.AddPresence(o => o.ConnectionTtl = TimeSpan.FromSeconds(30))
    .AddEveryoneSeesEveryone()
    .AddHealthCheck()
    .AddEventHandler((_, e, _) =>
    {
        lock (events)
        {
            events.Add(e);
        }

        return ValueTask.CompletedTask;
    });

var signalR = builder.Services.AddSignalR().AddPresence();
if (redis is not null)
{
    signalR.AddRedisScaleOut(redis, o => o.KeyPrefix = "consumer-" + Guid.NewGuid().ToString("N"));
}

var app = builder.Build();
app.MapPresenceHub("/hubs/presence");
await app.StartAsync();

var tracker = app.Services.GetRequiredService<IPresenceTracker>();
var came = await tracker.ConnectAsync("alice", "tab-1");
await tracker.PingAsync("alice", "tab-1");
var status = await tracker.SetStatusAsync("alice", PresenceStatus.Busy);
var online = await tracker.IsOnlineAsync("alice");
var presence = (await tracker.GetPresenceAsync(["alice"]))[0];
var went = await tracker.DisconnectAsync("alice", "tab-1");
var store = app.Services.GetRequiredService<IPresenceStore>().GetType().Name;
var backplane = app.Services.GetRequiredService<HubLifetimeManager<PresenceHub>>().GetType().Name.Split('`')[0];
await app.StopAsync();

List<PresenceEvent> seen;
lock (events)
{
    seen = [.. events];
}

var kinds = string.Join(",", seen.Select(e => e.GetType().Name));
var ordered = came.Change == PresenceChange.CameOnline && status.Change == StatusChange.Changed && went.Change == PresenceChange.WentOffline
    && came.Version < status.Version && status.Version < went.Version
    && seen.Select(e => e.Version).SequenceEqual([came.Version, status.Version, went.Version]);
Console.WriteLine($"CONSUMER-OK store={store} backplane={backplane} online={online} status={presence.Status} versions={(ordered ? "increasing" : "WRONG")} events={kinds}");
