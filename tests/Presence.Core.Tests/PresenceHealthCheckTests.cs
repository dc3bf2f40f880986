using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Presence.Core.Tests.Support;

namespace Presence.Core.Tests;

public sealed class PresenceHealthCheckTests
{
    [Fact]
    public async Task AnAnsweringStore_IsHealthy_AndReportsCounts()
    {
        await using var context = new PresenceTestContext(configure: b => b.AddHealthCheck());
        await context.Tracker.ConnectAsync("alice", "a1");
        await context.Tracker.ConnectAsync("alice", "a2");

        var report = await context.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = Assert.Single(report.Entries);
        Assert.Equal("presence", entry.Key);
        Assert.Equal(HealthStatus.Healthy, entry.Value.Status);
        Assert.Equal(1L, entry.Value.Data["onlineUsers"]);
        Assert.Equal(2L, entry.Value.Data["connections"]);
    }

    [Fact]
    public async Task AnUnreachableStore_IsUnhealthy()
    {
        await using var context = new PresenceTestContext(configure: b => b.AddStore<UnreachableStore>().AddHealthCheck());

        var report = await context.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("unreachable", report.Entries["presence"].Description, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SweepsThatKeepFailing_DegradeTheCheck()
    {
        await using var host = await SweeperHost.StartAsync(b => b.AddStore<FailingStore>().AddHealthCheck());
        var health = host.Host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        for (var i = 0; i < 6; i++)
        {
            await host.TickAsync();
        }

        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Contains("sweep", report.Entries["presence"].Description, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void CheckNames_AreValidated()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentException>(() => services.AddHealthChecks().AddPresenceCheck(" "));
    }
}
