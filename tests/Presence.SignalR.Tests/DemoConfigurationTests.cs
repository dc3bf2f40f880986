using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Presence.Demo;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>The demo's appsettings.json turns flap suppression on, and configuration still overrides it.</summary>
public sealed class DemoConfigurationTests
{
    [Fact]
    public void The_demo_sets_a_five_second_offline_grace_period_in_its_appsettings()
    {
        var builder = DemoApplication.CreateBuilder([], RepoPaths.DemoContentRoot);
        using var services = builder.Services.BuildServiceProvider();

        Assert.Equal(TimeSpan.FromSeconds(5), services.GetRequiredService<IOptions<PresenceOptions>>().Value.OfflineGracePeriod);
    }

    [Fact]
    public void The_grace_period_is_overridable_like_every_option()
    {
        var builder = DemoApplication.CreateBuilder(["--Presence:OfflineGracePeriod=00:00:00"], RepoPaths.DemoContentRoot);
        using var services = builder.Services.BuildServiceProvider();

        Assert.Equal(TimeSpan.Zero, services.GetRequiredService<IOptions<PresenceOptions>>().Value.OfflineGracePeriod);
        Assert.Equal("00:00:00", builder.Configuration["Presence:OfflineGracePeriod"]);
    }
}
