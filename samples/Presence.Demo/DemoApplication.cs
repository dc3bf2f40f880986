using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Presence.Redis;

namespace Presence.Demo;

/// <summary>Builds the demo app; <c>Program.cs</c> and the tests share it.</summary>
public static class DemoApplication
{
    /// <summary>The address the demo listens on when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>The hub's path.</summary>
    public const string HubPath = "/hubs/presence";

    /// <summary>The configuration key that picks the store: <see cref="InMemoryStore"/> (default) or <see cref="RedisStore"/>.</summary>
    public const string StoreKey = "Presence:Store";

    /// <summary>One node, no Redis.</summary>
    public const string InMemoryStore = "InMemory";

    /// <summary>Several nodes sharing the Redis named by the <c>Redis</c> connection string.</summary>
    public const string RedisStore = "Redis";

    /// <summary>Creates the builder with every demo service registered; callers may still add or replace services.</summary>
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--Presence:ConnectionTtl=00:00:03</c>, ...).</param>
    /// <param name="contentRoot">The content root; by default the directory of the app's binaries (which holds <c>wwwroot</c>).</param>
    /// <returns>The builder.</returns>
    public static WebApplicationBuilder CreateBuilder(string[] args, string? contentRoot = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Independent of the working directory, so `dotnet run --project samples/Presence.Demo` finds wwwroot.
            ContentRootPath = contentRoot ?? AppContext.BaseDirectory,
        });

        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"]) && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddProblemDetails();
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.TokenValidationParameters = DevTokens.ValidationParameters();
                options.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on WebSockets: the SignalR client sends the token in the query string.
                    OnMessageReceived = context =>
                    {
                        var token = context.Request.Query["access_token"];
                        if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments("/hubs"))
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        builder.Services.AddAuthorization();

        // Options bind from the "Presence" section (Presence__ConnectionTtl=00:00:03, ...).
        builder.Services.AddPresence()
            .AddInterestResolver<TeamInterestResolver>()
            .AllowAllSubscriptions()
            .AddHealthCheck();

        // JSON and MessagePack: the presence payloads carry the same keys on both.
        var signalR = builder.Services
            .AddSignalR(options => options.AddFilter<TeamMembershipFilter>())
            .AddMessagePackProtocol()
            .AddPresence();
        AddStore(builder, signalR);

        return builder;
    }

    /// <summary>
    /// <c>Presence:Store</c> picks where presence and teams live: <c>InMemory</c> (the default, one
    /// node, no Redis) or <c>Redis</c> (several nodes: the Redis store, the SignalR backplane and the
    /// team directory on one connection from <c>ConnectionStrings:Redis</c>).
    /// </summary>
    private static void AddStore(WebApplicationBuilder builder, ISignalRServerBuilder signalR)
    {
        var store = builder.Configuration[StoreKey];
        if (string.IsNullOrWhiteSpace(store) || string.Equals(store, InMemoryStore, StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddSingleton<ITeamDirectory, InMemoryTeamDirectory>();
        }
        else if (string.Equals(store, RedisStore, StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = builder.Configuration.GetConnectionString(RedisStore);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"{StoreKey} is '{store}' but the connection string 'ConnectionStrings:{RedisStore}' is missing. "
                    + $"Set it, for example ConnectionStrings__{RedisStore}=127.0.0.1:6379.");
            }

            signalR.AddRedisScaleOut(connectionString);
            builder.Services.AddSingleton<ITeamDirectory, RedisTeamDirectory>();
        }
        else
        {
            throw new InvalidOperationException($"{StoreKey} is '{store}', which is not a known store: use '{InMemoryStore}' (the default) or '{RedisStore}'.");
        }
    }

    /// <summary>Builds the app and maps the page, the dev token endpoint, the config endpoint and the hub.</summary>
    /// <param name="builder">The builder from <see cref="CreateBuilder"/>.</param>
    /// <returns>The app, ready to run.</returns>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapPost("/api/dev/token", IssueToken);
        app.MapGet("/api/presence/config", (IOptions<PresenceOptions> options) =>
            new PresenceClientConfig((long)options.Value.HeartbeatInterval.TotalMilliseconds));
        app.MapDemoPresenceEndpoints();
        app.MapHealthChecks("/healthz");
        app.MapPresenceHub(HubPath);

        // Anyone may ask about anyone here, so it exists only in Development (the scale-out tests read the store through it).
        if (app.Environment.IsDevelopment())
        {
            app.MapGet("/api/presence/users/{userId}", GetUserPresenceAsync);
        }

        return app;
    }

    private static async Task<IResult> GetUserPresenceAsync(string userId, IPresenceStore store, CancellationToken cancellationToken)
    {
        if (PresenceId.Validate(userId) is { } problem)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["userId"] = [problem.Replace("The id", "userId", StringComparison.Ordinal)] },
                detail: "The user id is invalid.");
        }

        try
        {
            var online = await store.IsOnlineAsync(userId, cancellationToken);
            var connections = await store.GetConnectionCountAsync(userId, cancellationToken);
            return Results.Ok(new UserPresenceResponse(userId, online, connections));
        }
        catch (PresenceStoreUnavailableException exception)
        {
            // Redis is down or reconnecting: say so rather than answer "offline".
            return Results.Problem(exception.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The presence store is unavailable.");
        }
    }

    private static IResult IssueToken(DevTokenRequest? request, TimeProvider timeProvider)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var userId = request?.UserId;
        var team = request?.Team ?? DevTokens.DefaultTeam;
        if (PresenceId.Validate(userId) is { } userProblem)
        {
            errors["userId"] = [userProblem.Replace("The id", "userId", StringComparison.Ordinal)];
        }

        if (PresenceId.Validate(team) is { } teamProblem)
        {
            errors["team"] = [teamProblem.Replace("The id", "team", StringComparison.Ordinal)];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: "The sign-in request is invalid.");
        }

        return Results.Ok(new DevTokenResponse(DevTokens.Issue(userId!, team, timeProvider.GetUtcNow())));
    }
}
