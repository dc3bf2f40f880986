// The Presence demo: `dotnet run --project samples/Presence.Demo`, then open http://127.0.0.1:5000.
// All wiring lives in DemoApplication so the integration and browser tests start the very same app.
using Presence.Demo;

var builder = DemoApplication.CreateBuilder(args);
var app = DemoApplication.Build(builder);
app.Run();
