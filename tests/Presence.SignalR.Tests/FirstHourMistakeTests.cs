using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Presence.SignalR.Tests.Hubs;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>
/// The mistakes of a first hour with the library (issue 16), each provoked on real Kestrel: the app
/// refuses to start naming the fix, or the client and the log say what went wrong.
/// </summary>
public sealed class FirstHourMistakeTests
{
    private const string ChatPath = "/hubs/chat";

    [Fact]
    public async Task An_own_hub_with_a_ping_but_without_AddPresence_for_it_fails_the_start_naming_the_hub()
    {
        // AddPresence() attaches the ready-made hub only; the app's own hub was forgotten.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartHostAsync(
            builder => builder.Services.AddSignalR().AddPresence(),
            app =>
            {
                app.MapPresenceHub("/hubs/presence");
                app.MapHub<PlainHub>("/hubs/plain");
            }));

        Assert.Equal(
            "PlainHub is mapped at '/hubs/plain' and expects presence (it has a 'presence:ping' method), but presence is not attached to it: nobody connecting to it is tracked and its 'presence:ping' calls fail. Call builder.Services.AddSignalR().AddPresence<PlainHub>() when configuring services.",
            error.Message);
    }

    [Fact]
    public async Task An_own_hub_with_RequirePresenceUser_but_no_presence_attached_to_any_hub_fails_the_start_naming_the_hub()
    {
        // Nothing of Presence.SignalR is registered; the endpoint's convention checks when the app builds its endpoints at start.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartHostAsync(
            builder =>
            {
                builder.Services.AddPresence();
                builder.Services.AddSignalR();
            },
            app => app.MapHub<PlainHub>("/hubs/plain").RequirePresenceUser()));

        Assert.Equal(
            "PlainHub is mapped at '/hubs/plain' and expects presence (RequirePresenceUser() is applied to it), but presence is not attached to it: nobody connecting to it is tracked and its 'presence:ping' calls fail. Call builder.Services.AddSignalR().AddPresence<PlainHub>() when configuring services.",
            error.Message);
    }

    [Fact]
    public async Task AddPresence_on_a_hub_without_the_ping_method_fails_naming_the_method_and_the_line_to_add()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartHostAsync(
            builder => builder.Services.AddSignalR().AddPresence<NoPingHub>(),
            app => app.MapHub<NoPingHub>(ChatPath)));

        Assert.Equal(
            "Presence cannot be attached to NoPingHub: it has no 'presence:ping' hub method, so its clients' heartbeats fail with 'Method does not exist.' and every user expires while connected. Add this line to NoPingHub: [HubMethodName(PresenceHubMethods.Ping)] public ValueTask<PresenceResult> Ping() => Context.PingPresenceAsync();",
            error.Message);
    }

    [Fact]
    public async Task A_token_in_the_Authorization_header_with_no_authentication_is_refused_saying_a_token_arrived_and_both_causes()
    {
        await using var app = await StartChatAsync(_ => { });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{ChatPath}/negotiate?negotiateVersion=1");
        request.Headers.Authorization = new("Bearer", "eyJ-some-token");

        using var response = await app.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Presence requires an authenticated user: an access token arrived (in the Authorization header) but the user is not authenticated.", body, StringComparison.Ordinal);
        Assert.Contains("AddAuthentication().AddJwtBearer(...) missing, or app.UseAuthentication() not called", body, StringComparison.Ordinal);
        Assert.Contains("JwtBearerEvents.OnMessageReceived", body, StringComparison.Ordinal);
        var log = Assert.Single(app.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 3010);
        Assert.Equal(LogLevel.Information, log.Level);
        Assert.Contains("an access token arrived (in the Authorization header) but the user is not authenticated", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_in_the_access_token_query_that_the_bearer_handler_does_not_read_is_refused_with_its_challenge_and_the_reason()
    {
        await using var app = await StartChatAsync(builder => builder.Services
            .AddAuthentication(HeaderOnlyBearerHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderOnlyBearerHandler>(HeaderOnlyBearerHandler.SchemeName, null));

        using var response = await app.Http.PostAsync(new Uri($"{ChatPath}/negotiate?negotiateVersion=1&access_token=eyJ-some-token", UriKind.Relative), null);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.StartsWith("Presence requires an authenticated user: an access token arrived (in the access_token query parameter) but the user is not authenticated.", body, StringComparison.Ordinal);
        Assert.Contains("does not read the access_token query parameter", body, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Services.GetFakeLogCollector().GetSnapshot(), r => r.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Without_RequirePresenceUser_a_client_that_sent_a_token_learns_from_its_close_error_that_it_was_not_authenticated()
    {
        await using var app = await TestApp.StartHostAsync(
            builder =>
            {
                builder.Services.AddPresence().AddEveryoneSeesEveryone();
                builder.Services.AddSignalR().AddPresence<ChatHub>();
            },
            app => app.MapHub<ChatHub>(ChatPath));
        await using var client = new PresenceTestClient(
            new HubConnectionBuilder().WithUrl(new Uri(app.BaseUrl, ChatPath), o => o.AccessTokenProvider = () => Task.FromResult<string?>("eyJ-some-token")).Build(),
            userId: null);

        await client.Connection.StartAsync();
        var error = await client.WaitClosedAsync();

        Assert.Contains("an access token arrived (in the Authorization header) but the user is not authenticated", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_without_a_token_is_told_none_arrived()
    {
        await using var app = await StartChatAsync(_ => { });

        using var response = await app.Http.PostAsync(new Uri($"{ChatPath}/negotiate?negotiateVersion=1", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("no access token arrived", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_anonymous_connection_to_the_ready_hub_logs_nothing_at_error_level()
    {
        await using var app = await TestApp.StartHostAsync(
            builder =>
            {
                builder.Logging.AddFakeLogging();
                builder.Logging.AddFilter("Presence", LogLevel.Debug);
                builder.Services.AddPresence().AddEveryoneSeesEveryone();
                builder.Services.AddSignalR().AddPresence();
            },
            app => app.MapPresenceHub("/hubs/presence"));
        await using var anonymous = app.CreateHostClient("/hubs/presence", userId: null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.Connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        var logs = app.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, r => r.Id.Id == 3008 && r.Level == LogLevel.Debug);
        Assert.DoesNotContain(logs, r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task An_own_hub_without_RequirePresenceUser_is_warned_about_once_at_start_naming_the_convention()
    {
        await using var app = await TestApp.StartHostAsync(
            builder =>
            {
                builder.Logging.AddFakeLogging();
                builder.Services.AddPresence().AddEveryoneSeesEveryone();
                builder.Services.AddSignalR().AddPresence<ChatHub>().AddPresence<ThrowingHub>();
            },
            app =>
            {
                app.MapHub<ChatHub>(ChatPath);
                app.MapHub<ThrowingHub>("/hubs/throwing").RequirePresenceUser();
            });

        var warning = Assert.Single(app.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 3012);

        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(
            "ChatHub at '/hubs/chat' refuses anonymous clients only after they connect, so SignalR logs each refusal as an error; map it with .RequirePresenceUser() to refuse them with 401 at negotiate, or set PresenceSignalROptions.IgnoreAnonymousConnections to let them in untracked.",
            warning.Message);
    }

    [Fact]
    public async Task While_the_store_is_down_a_connection_is_refused_with_a_close_reason_and_the_outage_is_logged_once()
    {
        OutageStore? store = null;
        await using var app = await TestApp.StartHostAsync(
            builder =>
            {
                builder.Logging.AddFakeLogging();
                builder.Logging.AddFilter("Presence", LogLevel.Debug);
                builder.Services.AddPresence().AddEveryoneSeesEveryone();
                WrapStore(builder.Services, inner => store = new OutageStore(inner));
                builder.Services.AddSignalR().AddPresence<ChatHub>();
            },
            app => app.MapHub<ChatHub>(ChatPath).RequirePresenceUser());
        _ = app.Store;
        store!.Down = true;

        var errors = new List<Exception?>();
        foreach (var user in new[] { "alice", "bob" })
        {
            await using var client = app.CreateHostClient(ChatPath, user);
            await client.Connection.StartAsync();
            errors.Add(await client.WaitClosedAsync());
        }

        Assert.All(errors, e => Assert.Contains(
            "Presence could not register the connection: the presence store is unavailable. Try again later; the server logged the outage.", e?.Message, StringComparison.Ordinal));
        var logs = app.Services.GetFakeLogCollector().GetSnapshot();
        var outage = Assert.Single(logs, r => r.Id.Id == 1009);
        Assert.Equal(LogLevel.Warning, outage.Level);
        Assert.Null(outage.Exception);
        Assert.DoesNotContain(logs, r => r.Category?.StartsWith("Presence", StringComparison.Ordinal) == true && (r.Level >= LogLevel.Error || r.Exception is not null));
        Assert.Equal(2, logs.Count(r => r.Id.Id == 3009 && r.Level == LogLevel.Debug && r.Message.Contains("register", StringComparison.Ordinal)));

        store.Down = false;
        await using var carol = await app.ConnectHostAsync(ChatPath, "carol");
        Assert.Equal(["carol"], carol.BulkOnline);
        Assert.Single(app.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 1010 && r.Level == LogLevel.Information);
    }

    private static Task<TestApp> StartChatAsync(Action<WebApplicationBuilder> configure) => TestApp.StartHostAsync(
        builder =>
        {
            builder.Logging.AddFakeLogging();
            builder.Logging.AddFilter("Presence", LogLevel.Debug);
            builder.Services.AddPresence().AddEveryoneSeesEveryone();
            builder.Services.AddSignalR().AddPresence<ChatHub>();
            configure(builder);
        },
        app => app.MapHub<ChatHub>(ChatPath).RequirePresenceUser());

    private static void WrapStore(IServiceCollection services, Func<IPresenceStore, OutageStore> wrap)
    {
        var descriptor = services.Single(d => d.ServiceType == typeof(IPresenceStore));
        var implementation = descriptor.ImplementationType!;
        services.Remove(descriptor);
        services.AddSingleton(implementation);
        services.AddSingleton<IPresenceStore>(sp => wrap((IPresenceStore)sp.GetRequiredService(implementation)));
    }
}
