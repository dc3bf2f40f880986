using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>The demo hub refuses a client without a token at negotiate, so the client's start fails instead of "connecting".</summary>
public sealed class DemoHubAuthenticationTests : DemoAppTests
{
    [Fact]
    public async Task Start_without_a_token_throws_401_and_nothing_is_registered()
    {
        await using var anonymous = App.CreateDemoClient(accessToken: null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.Connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(HubConnectionState.Disconnected, anonymous.Connection.State);
        Assert.Equal(new PresenceCounts(0, 0), await App.Store.GetCountsAsync());
    }

    [Fact]
    public async Task Start_with_a_token_signed_by_another_key_throws_401()
    {
        await using var forged = App.CreateDemoClient(accessToken: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => forged.Connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }
}
