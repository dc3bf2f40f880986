using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>The demo's sign-in endpoint and page assets.</summary>
public sealed class DevTokenEndpointTests : DemoAppTests
{
    [Fact]
    public async Task A_valid_request_returns_a_jwt_for_the_user_and_team_defaulting_to_lobby()
    {
        using var response = await App.Http.PostAsJsonAsync("/api/dev/token", new { userId = "alice" });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(["accessToken"], body.RootElement.EnumerateObject().Select(p => p.Name));
        var claims = DecodePayload(body.RootElement.GetProperty("accessToken").GetString()!);
        Assert.Equal("alice", claims.GetProperty("sub").GetString());
        Assert.Equal("lobby", claims.GetProperty("team").GetString());
    }

    [Fact]
    public async Task The_health_endpoint_reports_the_presence_store_healthy()
    {
        using var response = await App.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"userId":""}""", "userId")]
    [InlineData("""{"userId":"   "}""", "userId")]
    [InlineData("""{"userId":"a\u0007b"}""", "userId")]
    [InlineData("""{"team":"red"}""", "userId")]
    [InlineData("""{"userId":"alice","team":""}""", "team")]
    [InlineData("LONG", "userId")]
    public async Task Bad_user_ids_get_400_with_problem_details_naming_the_field(string json, string field)
    {
        if (json == "LONG")
        {
            json = JsonSerializer.Serialize(new { userId = new string('a', 257) });
        }

        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await App.Http.PostAsync("/api/dev/token", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.GetRawText());
    }

    [Fact]
    public async Task Malformed_json_gets_400_problem_details()
    {
        using var content = new StringContent("{not json", Encoding.UTF8, "application/json");
        using var response = await App.Http.PostAsync("/api/dev/token", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_page_and_the_npm_signalr_client_are_served()
    {
        var page = await App.Http.GetStringAsync("/");
        using var script = await App.Http.GetAsync("/lib/signalr/signalr.min.js");

        Assert.Contains("lib/signalr/signalr.min.js", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("HubConnectionBuilder", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static JsonElement DecodePayload(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement.Clone();
    }
}
