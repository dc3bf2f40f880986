// The naive peer: the 30-line course PresenceTracker (a user -> connections dictionary) ported straight
// to Redis (SADD/SREM per connection + SCARD), online/offline broadcast to the team's group, on the same
// SignalR Redis backplane as the demo and with the demo's wire names. For the end-to-end comparison only:
// `dotnet Presence.NaivePeer.dll --urls http://127.0.0.1:PORT` with ConnectionStrings__Redis=127.0.0.1:PORT.
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;
using Presence.NaivePeer;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
var redis = builder.Configuration.GetConnectionString("Redis")
    ?? throw new InvalidOperationException("Set ConnectionStrings__Redis, for example 127.0.0.1:6379.");

builder.Services
    .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
    .AddJwtBearer(options =>
    {
        options.TokenValidationParameters = PeerTokens.ValidationParameters();
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                var token = context.Request.Query["access_token"];
                if (!string.IsNullOrEmpty(token))
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            },
        };
    });
builder.Services.AddAuthorization();

// As in the course: one multiplexer for the tracker, the backplane its own (AddStackExchangeRedis).
builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
builder.Services.AddSingleton<RedisPresenceTracker>();
builder.Services.AddSignalR().AddStackExchangeRedis(redis);

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/", () => "Presence.NaivePeer");
app.MapPost("/api/dev/token", (PeerTokenRequest request) =>
    string.IsNullOrEmpty(request.UserId) || string.IsNullOrEmpty(request.Team)
        ? Results.BadRequest()
        : (IResult)TypedResults.Ok(new PeerTokenResponse(PeerTokens.Issue(request.UserId, request.Team))));
app.MapHub<PeerPresenceHub>("/hubs/presence").RequireAuthorization();
app.Run();
