using Presence;

// Exercises the public surface the way the README shows it, then prints one line the test checks.
var redis = args.Length > 0 ? args[0] : null;
var builder = WebApplication.CreateBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();

var events = new List<PresenceEvent>();
var presence = builder.Services.AddPresence(o => o.ConnectionTtl = TimeSpan.FromSeconds(30))
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
if (redis is not null)
{
    presence.AddRedisStore(redis, o => o.KeyPrefix = "consumer-" + Guid.NewGuid().ToString("N"));
}

builder.Services.AddSignalR().AddPresence();
var app = builder.Build();
app.MapPresenceHub("/hubs/presence");
await app.StartAsync();

var tracker = app.Services.GetRequiredService<IPresenceTracker>();
await tracker.ConnectAsync("alice", "tab-1");
await tracker.PingAsync("alice", "tab-1");
var online = await tracker.IsOnlineAsync("alice");
await tracker.DisconnectAsync("alice", "tab-1");
var store = app.Services.GetRequiredService<IPresenceStore>().GetType().Name;
await app.StopAsync();

var kinds = string.Join(",", events.Select(e => e.GetType().Name));
Console.WriteLine($"CONSUMER-OK store={store} online={online} events={kinds}");
