using System.Net;
using System.Net.Http.Json;
using Presence.Demo;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>The demo started as a deployment would be (<c>--environment Production</c>, a signing key of its own): no dev sign-in.</summary>
public sealed class DemoProductionTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartDemoAsync(
        new Dictionary<string, string?> { [DemoApplication.SigningKeyKey] = "a-production-secret-that-is-long-enough-for-hs256-0123456789" },
        environment: "Production");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_dev_token_endpoint_does_not_exist_in_production()
    {
        using var response = await _app.Http.PostAsJsonAsync("/api/dev/token", new { userId = "alice" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_page_and_the_health_endpoint_still_answer_in_production()
    {
        using var health = await _app.Http.GetAsync("/healthz");
        using var page = await _app.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
