using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Presence.Demo;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>The demo's appsettings.json turns flap suppression on, configuration still overrides it, and `dotnet run` starts it in Development.</summary>
public sealed class DemoConfigurationTests
{
    [Fact]
    public void The_demo_sets_a_five_second_offline_grace_period_in_its_appsettings()
    {
        var builder = DemoApplication.CreateBuilder(["--environment", "Development"], RepoPaths.DemoContentRoot);
        using var services = builder.Services.BuildServiceProvider();

        Assert.Equal(TimeSpan.FromSeconds(5), services.GetRequiredService<IOptions<PresenceOptions>>().Value.OfflineGracePeriod);
    }

    [Fact]
    public void The_grace_period_is_overridable_like_every_option()
    {
        var builder = DemoApplication.CreateBuilder(["--environment", "Development", "--Presence:OfflineGracePeriod=00:00:00"], RepoPaths.DemoContentRoot);
        using var services = builder.Services.BuildServiceProvider();

        Assert.Equal(TimeSpan.Zero, services.GetRequiredService<IOptions<PresenceOptions>>().Value.OfflineGracePeriod);
        Assert.Equal("00:00:00", builder.Configuration["Presence:OfflineGracePeriod"]);
    }

    [Fact]
    public void Dotnet_run_starts_the_demo_in_Development_so_the_readme_command_works_out_of_the_box()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.DemoContentRoot, "Properties", "launchSettings.json")));

        // `dotnet run` uses the first profile whose commandName is Project.
        var profile = settings.RootElement.GetProperty("profiles").EnumerateObject()
            .First(p => p.Value.GetProperty("commandName").GetString() == "Project").Value;
        Assert.Equal("Development", profile.GetProperty("environmentVariables").GetProperty("ASPNETCORE_ENVIRONMENT").GetString());
        Assert.Equal(DemoApplication.DefaultUrl, profile.GetProperty("applicationUrl").GetString());
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_Development_the_demo_refuses_to_start_with_the_public_dev_signing_key(string environment)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DemoApplication.CreateBuilder(["--environment", environment], RepoPaths.DemoContentRoot));

        Assert.Contains(DemoApplication.SigningKeyKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(environment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Development_the_public_dev_signing_key_is_refused_even_when_set_explicitly()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DemoApplication.CreateBuilder(
            ["--environment", "Production", $"--{DemoApplication.SigningKeyKey}=presence-demo-DEV-ONLY-signing-key-never-use-in-production"], RepoPaths.DemoContentRoot));

        Assert.Contains(DemoApplication.SigningKeyKey, error.Message, StringComparison.Ordinal);
    }
}
