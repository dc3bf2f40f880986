using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Presence.Demo;

namespace Presence.SignalR.Tests.Infrastructure;

/// <summary>An app on real Kestrel at http://127.0.0.1:(random port): the demo, or a host built for one test.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApp(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = Timeouts.Default };
    }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public IPresenceStore Store => _app.Services.GetRequiredService<IPresenceStore>();

    /// <summary>
    /// Starts the demo exactly as Program.cs does, with optional configuration and clock. The demo's
    /// appsettings.json sets a 5 s offline grace period; tests get none unless they set one, so an
    /// offline event follows a disconnect at once.
    /// </summary>
    /// <param name="settings">Configuration on top of the demo's.</param>
    /// <param name="timeProvider">The clock, when not the system's.</param>
    /// <param name="environment">The host environment; Development (where the dev token endpoint exists) unless a test says otherwise.</param>
    public static Task<TestApp> StartDemoAsync(IDictionary<string, string?>? settings = null, TimeProvider? timeProvider = null, string environment = "Development")
    {
        var merged = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>(), StringComparer.OrdinalIgnoreCase);
        merged.TryAdd("Presence:OfflineGracePeriod", "00:00:00");

        // On the command line, as a user would pass them: the demo reads some (the signing key) while building.
        string[] args = ["--urls", "http://127.0.0.1:0", "--environment", environment, .. merged.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}")];
        var builder = DemoApplication.CreateBuilder(args, RepoPaths.DemoContentRoot);

        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return StartAsync(DemoApplication.Build(builder));
    }

    /// <summary>Starts a host built for one test; user ids come from the <c>user</c> query parameter.</summary>
    public static Task<TestApp> StartHostAsync(Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--urls", "http://127.0.0.1:0"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IUserIdProvider, QueryStringUserIdProvider>();
        configure(builder);
        var app = builder.Build();
        map(app);
        return StartAsync(app);
    }

    private static async Task<TestApp> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, new Uri(address));
    }

    /// <summary>GET <paramref name="path"/> with <paramref name="accessToken"/> as the bearer token.</summary>
    public async Task<HttpResponseMessage> GetWithTokenAsync(string path, string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new("Bearer", accessToken);
        }

        return await Http.SendAsync(request);
    }

    public async Task<string> IssueTokenAsync(string userId, string? team)
    {
        using var response = await Http.PostAsJsonAsync("/api/dev/token", new { userId, team });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<DevTokenResponse>();
        return body!.AccessToken;
    }

    /// <summary>A client of the demo hub; <paramref name="accessToken"/> <see langword="null"/> connects anonymously.</summary>
    public PresenceTestClient CreateDemoClient(string? accessToken, string? userId = null, Action<IHubConnectionBuilder>? configure = null)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(BaseUrl, DemoApplication.HubPath), options =>
        {
            if (accessToken is not null)
            {
                options.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
            }
        });
        configure?.Invoke(builder);
        return new PresenceTestClient(builder.Build(), userId);
    }

    /// <summary>Signs in to the demo as <paramref name="userId"/> of <paramref name="team"/>, connects, and waits for bulk-online.</summary>
    public async Task<PresenceTestClient> ConnectDemoAsync(string userId, string team, Action<IHubConnectionBuilder>? configure = null)
    {
        var client = CreateDemoClient(await IssueTokenAsync(userId, team), userId, configure);
        await client.StartAsync();
        return client;
    }

    /// <summary>A client of a test host's hub at <paramref name="path"/>; <paramref name="userId"/> <see langword="null"/> is anonymous.</summary>
    public PresenceTestClient CreateHostClient(string path, string? userId)
    {
        var url = new Uri(BaseUrl, userId is null ? path : $"{path}?user={Uri.EscapeDataString(userId)}");
        return new PresenceTestClient(new HubConnectionBuilder().WithUrl(url).Build(), userId);
    }

    public async Task<PresenceTestClient> ConnectHostAsync(string path, string userId)
    {
        var client = CreateHostClient(path, userId);
        await client.StartAsync();
        return client;
    }

    public Task WaitForConnectionCountAsync(string userId, int count) =>
        Timeouts.WaitUntilAsync(async () => await Store.GetConnectionCountAsync(userId) == count, $"{userId} has {count} connection(s)");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
