using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Presence.Core.Tests;

public sealed class PresenceOptionsValidationTests
{
    [Theory]
    [InlineData("ConnectionTtl", "00:00:25", "Presence:ConnectionTtl")] // equal to the default heartbeat
    [InlineData("ConnectionTtl", "00:00:10", "Presence:ConnectionTtl")] // shorter than the heartbeat
    [InlineData("ConnectionTtl", "00:00:00", "Presence:ConnectionTtl")]
    [InlineData("ConnectionTtl", "-00:01:00", "Presence:ConnectionTtl")]
    [InlineData("HeartbeatInterval", "00:00:00", "Presence:HeartbeatInterval")]
    [InlineData("HeartbeatInterval", "-00:00:01", "Presence:HeartbeatInterval")]
    [InlineData("HeartbeatInterval", "00:05:00", "Presence:ConnectionTtl")] // now longer than the default TTL
    [InlineData("SweepInterval", "00:00:00", "Presence:SweepInterval")]
    [InlineData("SweepInterval", "-00:00:05", "Presence:SweepInterval")]
    [InlineData("SweepInterval", "30.00:00:00", "Presence:SweepInterval")] // beyond what a timer accepts
    [InlineData("SweepBatchSize", "0", "Presence:SweepBatchSize")]
    [InlineData("SweepBatchSize", "-3", "Presence:SweepBatchSize")]
    public async Task ABadConfiguration_FailsHostStart_NamingTheOption(string key, string value, string named)
    {
        using var host = BuildHost(new() { ["Presence:" + key] = value });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
        Assert.Single(exception.Failures, f => f.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public async Task APlainNumberForATimeSpan_IsExplainedAsDays()
    {
        using var host = BuildHost(new() { ["Presence:ConnectionTtl"] = "60" });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var failure = Assert.Single(exception.Failures);
        Assert.StartsWith("Presence:ConnectionTtl (60.00:00:00) must be between", failure, StringComparison.Ordinal);
        Assert.Contains("a plain number such as 60 is read as 60 days", failure, StringComparison.Ordinal);
        Assert.Contains("hh:mm:ss", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadDelegate_FailsHostStart_NamingEveryBadOption()
    {
        using var host = BuildHost([], o =>
        {
            o.SweepBatchSize = 0;
            o.SweepInterval = TimeSpan.Zero;
        });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Presence:SweepBatchSize", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Presence:SweepInterval", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSectionPresence_IsBound()
    {
        using var host = BuildHost(new()
        {
            ["Presence:ConnectionTtl"] = "00:00:03",
            ["Presence:HeartbeatInterval"] = "00:00:01",
            ["Presence:SweepInterval"] = "00:00:00.250",
            ["Presence:SweepBatchSize"] = "7",
        });

        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptions<PresenceOptions>>().Value;
        await host.StopAsync();

        Assert.Equal(TimeSpan.FromSeconds(3), options.ConnectionTtl);
        Assert.Equal(TimeSpan.FromSeconds(1), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.SweepInterval);
        Assert.Equal(7, options.SweepBatchSize);
    }

    [Fact]
    public void TheAddPresenceDelegate_WinsOverConfiguration()
    {
        using var host = BuildHost(
            new() { ["Presence:ConnectionTtl"] = "00:00:03", ["Presence:HeartbeatInterval"] = "00:00:01" },
            o => o.ConnectionTtl = TimeSpan.FromSeconds(5));

        var options = host.Services.GetRequiredService<IOptions<PresenceOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectionTtl);
        Assert.Equal(TimeSpan.FromSeconds(1), options.HeartbeatInterval);
    }

    [Fact]
    public void WithoutConfiguration_TheDefaultsApply()
    {
        using var provider = new ServiceCollection().AddLogging().AddPresence().Services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<PresenceOptions>>().Value;

        Assert.Equal(
            (TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), 1000),
            (options.HeartbeatInterval, options.ConnectionTtl, options.SweepInterval, options.SweepBatchSize));
    }

    private static IHost BuildHost(Dictionary<string, string?> configuration, Action<PresenceOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddPresence(configure);
        return builder.Build();
    }
}
