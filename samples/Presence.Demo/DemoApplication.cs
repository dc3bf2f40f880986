using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Presence.Demo;

/// <summary>Builds the demo app; <c>Program.cs</c> and the tests share it.</summary>
public static class DemoApplication
{
    /// <summary>The address the demo listens on when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>The hub's path.</summary>
    public const string HubPath = "/hubs/presence";

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

        builder.Services.AddSingleton<ITeamDirectory, InMemoryTeamDirectory>();

        // Options bind from the "Presence" section (Presence__ConnectionTtl=00:00:03, ...).
        // The store is chosen here too: in memory by default.
        builder.Services.AddPresence()
            .AddInterestResolver<TeamInterestResolver>()
            .AllowAllSubscriptions();

        builder.Services
            .AddSignalR(options => options.AddFilter<TeamMembershipFilter>())
            .AddPresence();

        return builder;
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
        app.MapPresenceHub(HubPath);

        return app;
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
