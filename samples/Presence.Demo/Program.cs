var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPresence().AddEveryoneSeesEveryone();
var app = builder.Build();
app.MapGet("/", () => "Presence demo: coming with the SignalR transport.");
app.Run();
